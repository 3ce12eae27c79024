// CPU-bound work and what it costs: real time in a real run, a cost model's virtual time in
// a deterministic one.
//
// A real run times CPU work on a real clock (steady_clock, in real seconds: work is not
// waiting, so --time-scale cannot shorten it) and work() does it in one go, as the caller
// wrote it. A deterministic run (deterministic.h) has only a virtual clock, which moves
// when no thread can run: work alone would take no time on it. So there work() still does
// every step, in blocks of at most kBlockSteps, and after each block its thread charges the
// block's cost on the virtual clock by sleeping that long (Scheduler::sleep: a trace shows
// the thread running meanwhile, not sleeping). What follows is the model:
//   - work charged by several threads at once overlaps, as on separate cores (as many
//     cores as there are threads): two threads that count n steps each take n steps' time;
//     so does the work of a run's child processes, whose threads take the same turn on
//     the same virtual clock;
//   - a thread keeps whatever it holds while its block is charged (a Lock, its turn at a
//     simulated interpreter lock), so work done only under one lock is serialised: the
//     blocks of two threads that must take turns add up;
//   - the cost is exact (`steps` × the caller's seconds per step), so the same seed
//     prints the same times on every run and every machine.
// The model knows no caches, no contention, and no cost of handing a lock over or of
// starting a thread or a process.
#pragma once

#include <functional>

namespace concur::cpu {

// One step of `while n > 0: n -= 1` on a variable in memory (a load, a subtract, a store)
// as the model charges it: 0.3 ns, what it takes on the 2-core development machine (0.28 to
// 0.29 ns a step over 50,000,000 steps, g++ -O2), so that a deterministic run reads like
// a real run there on idle cores.
inline constexpr double kDecrementSeconds = 0.3e-9;

// The most steps a deterministic run does before charging them: 0.3 ms of the model's time
// at kDecrementSeconds, so a long count still advances the virtual clock as it goes.
inline constexpr long long kBlockSteps = 1'000'000;

// Seconds on the clock CPU work is timed against (Python's time.time() around a
// computation): real seconds on a monotonic clock in a real run, the virtual clock (lecture
// seconds since the run began) in a deterministic one. Only differences mean anything.
double clock();

// Whether CPU work is charged by the model (a deterministic run) rather than timed.
bool modelled();

// Does `steps` steps of CPU work, each costing `step_seconds` in the model: `run(n)` must
// do the next n of them. A real run calls run(steps) once and nothing else. A deterministic
// run calls it in blocks of at most kBlockSteps, in order, and after each block sleeps
// its cost on the virtual clock; throws ThreadExit, between blocks, when the run is stopped.
// steps <= 0 does nothing.
void work(long long steps, double step_seconds, const std::function<void(long long)>& run);

}  // namespace concur::cpu
