// What the parts of the async demo share: how its checks judge a run's length, and the
// threads and one-after-another versions of `fetch` (async__download.cpp).
//
// Every line of the coroutine programs is printed with say() (demos/support.h), which
// prints it and notes the calling thread's name and ident and the lecture time in the
// run's Transcript; the checks then confirm that one thread said everything: the event
// loop runs every coroutine on the thread that called aio::run.
#pragma once

#include <string>
#include <vector>

#include "demos/demos.h"
#include "demos/support.h"

namespace concur::demos {

// Whether a run that waited `longest` lecture seconds at most took about that long: never
// less, and no more than 5% + 0.3 lecture seconds plus 50 ms of real time later (a busy
// machine's stalls; at --fast those 50 ms are 25 lecture seconds, so there the checks rest
// on the order of the lines, which no stall can change). In async.cpp.
bool about(double seconds, double longest);

// The "all N lines on MainThread (0 elsewhere)" clause of the checks. In async.cpp.
std::string on_one_thread(const Transcript& transcript, int elsewhere);

// 001 "Threading: Code Example": a Thread per URL downloads its page. Returns the pages in
// `urls` order; `idents` gets each one's thread, `total` the time the whole took.
std::vector<std::string> download_with_threads(const std::vector<std::string>& urls, std::vector<long>& idents,
                                               double& total);
// 004 "Sharing of I/O Resources": the pages one after another, each timed.
std::vector<std::string> fetch_one_after_another(const std::vector<std::string>& urls, double& total);

}  // namespace concur::demos
