// What the parts of the threadinfo demo share: a note of what each thread saw of itself
// (its name and ids, and when it ran), and the check every variant closes with.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

// One thread's view of itself: current_thread().name, get_ident(), its OS id read at the
// start and at the end of its task, and the lecture times it began and ended.
struct Seen {
  std::string name;
  long ident;
  long native_id;
  long native_id_at_end;
  double begin;
  double end;
};

// What the threads of one run noted about themselves: bookkeeping for the check, not part
// of the lecture. The run function owns it; its threads note into it.
struct Sightings {
  // Called by a thread at the end of its task, which began at `began` with OS id `first_id`.
  void note_me(double began, long first_id);

  std::mutex mutex;
  std::vector<Seen> seen;
};

// The closing check: names unique (MainThread included), each thread saw its own name and
// kept its id, threads alive together had distinct ids, active_count() back to 1.
Check check_threads(Sightings& sightings, const std::vector<std::unique_ptr<Thread>>& threads,
                    const std::string& lesson);

}  // namespace concur::demos
