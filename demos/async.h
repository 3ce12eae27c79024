// What the parts of the async demo share: a transcript of what was printed, by which
// thread and when, that the closing checks read; and one run function per variant.
//
// Every line of this demo is printed with say(), which prints it (as concur::print does)
// and notes the calling thread's name and ident and the lecture time. The event loop runs
// every coroutine on the thread that called aio::run, so the transcript needs no lock;
// the checks then confirm that one thread said everything.
#pragma once

#include <string>
#include <vector>

#include "demos/demos.h"

namespace concur::demos::async_demo {

// One printed line: who printed it, the text, and the lecture time.
struct Said {
  std::string thread;
  long ident;
  std::string line;
  double at;
};

// Python's print(line) from the calling thread, noted in the transcript (one entry per
// output line: "\nAsynchronous approach:" is two).
void say(const std::string& line);

// Everything said since the run began, in output order.
const std::vector<Said>& transcript();

// The lecture time at which `line` was first said, or -1 if it never was.
double said_at(const std::string& line);

// How many lines of the transcript came from a thread other than `ident`.
int said_elsewhere(long ident);

// Whether a run that waited `longest` lecture seconds at most took about that long: never
// less, and no more than 5% + 0.3 lecture seconds plus 50 ms of real time later (a busy
// machine's stalls; at --fast those 50 ms are 25 lecture seconds, so there the checks rest
// on the order of the lines, which no stall can change).
bool about(double seconds, double longest);

// Python's str() of a float, as f"{x}" prints it: 5.005123138427734, 3.0.
std::string py_float(double x);

// One variant each: `coffee` in async.cpp; `hello`, `gather`, `future` and `fetch-data`
// in async__await.cpp.
Check coffee_variant();
Check hello_variant();
Check gather_variant();
Check future_variant();
Check fetch_data_variant();

}  // namespace concur::demos::async_demo

namespace concur::demos {

// async__fetch.cpp: 001 "Asyncio: Example" beside 001 "Threading: Code Example" and 004
// "Sharing of I/O Resources" (`fetch`).
Check run_async_fetch();

}  // namespace concur::demos
