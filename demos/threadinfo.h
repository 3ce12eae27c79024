// What the parts of the threadinfo demo share: a note of what each thread saw of itself
// (its name and ids, and when it ran), and the check every variant closes with.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos::threadinfo {

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

// Forgets every note (a run begins).
void forget_seen();
// Called by a thread at the end of its task, which began at `began` with OS id `first_id`.
void note_me(double began, long first_id);

// The closing check: names unique (MainThread included), each thread saw its own name and
// kept its id, threads alive together had distinct ids, active_count() back to 1.
Check check_threads(const std::vector<std::unique_ptr<Thread>>& threads, const std::string& lesson);

// 004 "Starting a thread in Python" (threadinfo__start.cpp).
Check start_variant();

}  // namespace concur::demos::threadinfo
