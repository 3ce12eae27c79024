// What the parts of the threads demo share: a transcript of who printed what, and when,
// that the closing checks read; and one run function per variant.
//
// Every line of this demo is printed with say(), which prints it (as concur::print does)
// from the calling thread and, under the same lock, notes the thread's name and the
// lecture time, so the transcript's order is the order of the output.
#pragma once

#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos::threads {

// One printed line: the thread that printed it, the text, and the lecture time.
struct Said {
  std::string thread;
  std::string line;
  double at;
};

// Python's print(line) from the calling thread, noted in the transcript.
void say(const std::string& line);

// Everything said since the run began, in output order.
std::vector<Said> transcript();
// What `thread` said, in the order it said it.
std::vector<Said> said_by(const std::string& thread);
// How many of `inner`'s lines came strictly between `outer`'s first and last: above 0 only if
// the two threads ran side by side (one after the other never gives any).
long said_between(const std::string& inner, const std::string& outer);

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
Check check_threads(const std::vector<Expect>& expected, bool main_last, const std::string& lesson);

// One variant each (threads.cpp, threads__*.cpp).
Check my_func_variant();
Check no_join_variant();
Check join_variant();
Check subclass_variant();
Check numbers_letters_variant();
Check worker_variant();
Check start_new_thread_variant();
Check subclass_ctime_variant();
Check states_variant();
Check target_variant();
Check custom_variant();
Check join_worker_variant();
Check io_bound_variant();

}  // namespace concur::demos::threads
