// What the parts of the threads demo share: the closing checks that read the run's
// transcript (demos/support.h) of who printed what, and when.
//
// Every line of this demo is printed with say(), which prints it (as concur::print does)
// from the calling thread and, under the same lock, notes the thread's name and the
// lecture time, so the transcript's order is the order of the output. Each variant's run
// function (demos.h) makes the run's Transcript before its first line.
#pragma once

#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"
#include "demos/support.h"

namespace concur::demos {

// How many of `inner`'s lines came strictly between `outer`'s first and last: above 0 only if
// the two threads ran side by side (one after the other never gives any).
long said_between(const Transcript& transcript, const std::string& inner, const std::string& outer);

// prefix + "0", prefix + "1", … prefix + (n-1): the lines of a counting loop.
std::vector<std::string> numbered(const std::string& prefix, int n);

// What one thread should have said, in program order. With `prefix_only`, each line only
// has to begin with the expected text (for lines that end with a ctime).
struct Expect {
  std::string thread;
  std::vector<std::string> lines;
  bool prefix_only = false;
};

// The check most variants close with: each thread said exactly its lines in program order,
// every thread is finished (joined), and active_count() is back to 1. With `main_last`,
// MainThread's last expected line is also the last line of the run. `lesson` starts the
// message when all holds.
Check check_threads(const Transcript& transcript, const std::vector<Expect>& expected, bool main_last,
                    const std::string& lesson);

}  // namespace concur::demos
