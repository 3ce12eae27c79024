// The lecture clock: Python's `time` module, in lecture seconds.
//
// A demo sleeps and measures in the lecture's seconds; `--time-scale F` makes each lecture
// second take F real seconds (0.01 runs a 3-second sleep in 30 ms). Durations a demo
// reports and the timestamps of log lines are lecture time, so a fast run reads like the
// lecture. Sleeps go through the waiting seam, so a stopped run interrupts them.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace concur::time {

// Blocks the calling thread for `seconds` lecture seconds. Throws ThreadExit if the run
// is stopped meanwhile.
void sleep(double seconds);

// Seconds since the epoch on the lecture clock (Python's time.time()): the real time the
// run began plus the lecture seconds elapsed since.
double time();

// The broken-down calendar time the lecture's clocks show (ctime, logging's asctime):
// local time, or UTC in a deterministic run, so that its output is the same in every
// time zone.
std::tm calendar(std::time_t t);

// Lecture seconds since the run began (a monotonic clock, like time.perf_counter()).
double perf_counter();

// The slack a check allows a lecture-time measurement for what a busy machine adds in real
// time (a thread's start, a preempted print): kAllowance of real time, in lecture seconds at
// this run's scale; 0 on a virtual clock, where lecture time is exact. The one such slack:
// a check writes `took <= 5 + allowance()`, never a constant of its own.
inline constexpr std::chrono::milliseconds kAllowance{50};
double allowance();

// The lecture clock now as a system time point (for log timestamps).
std::chrono::system_clock::time_point now();

// time.ctime(): "Mon Apr 23 10:03:33 2018" for the lecture clock now, local time.
std::string ctime();

}  // namespace concur::time
