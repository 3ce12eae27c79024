// What the core's primitives cost, each next to the standard-library baseline it is built
// from, measured in the same run:
//   Queue put/get, 1 producer -> 1 or 3 consumers   vs std::mutex + std::condition_variable + std::deque
//   Lock acquire+release, alone and with 2 threads   vs std::mutex
//   Semaphore acquire+release                         vs std::counting_semaphore
//   Each of the above, and a whole deterministic demo run, with the trace on vs off
//   A deterministic run's scheduling decision                vs a bare fiber switch
// The core pays for Python's semantics and for the waiting seam (a wait site per
// primitive, the owner recorded for the deadlock detector); these numbers say how much.
//
//   concur_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <semaphore>
#include <thread>
#include <vector>

#include "bench/workloads.h"
#include "core/run.h"
#include "core/concur.h"
#include "demos/demo.h"
#include "core/trace.h"
#include "core/fiber.h"

namespace {

using concur::bench::CoreQueue;
using concur::bench::StdQueue;

constexpr int kBatch = 20000;  // items per iteration of the queue benchmarks

// One producer (the benchmark's thread) hands kBatch items to `consumers` threads
// (workloads.h). An iteration ends when all have finished. One batch: returns the number of
// items the consumers got.
template <typename Q>
long long queue_batch(int consumers) {
  Q q;
  std::vector<long long> counts(consumers, 0);
  std::vector<std::thread> threads;
  for (int c = 0; c < consumers; ++c) threads.emplace_back([&q, &counts, c] { counts[c] = concur::bench::consume(q); });
  concur::bench::produce(q, kBatch, consumers);
  for (auto& t : threads) t.join();
  long long got = 0;
  for (long long n : counts) got += n;
  return got;
}

template <typename Q>
void queue_throughput(benchmark::State& state) {
  long long got = 0;
  for (auto _ : state) got += queue_batch<Q>(static_cast<int>(state.range(0)));
  if (got != static_cast<long long>(kBatch) * state.iterations()) state.SkipWithError("items lost");
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_Queue_Core(benchmark::State& state) { queue_throughput<CoreQueue>(state); }
void BM_Queue_StdBaseline(benchmark::State& state) { queue_throughput<StdQueue>(state); }
// The same with the run's trace on (--trace, --timeline): every put and get is an event.
// The record is taken after each batch, outside the timing, as the CLI takes it after a demo.
void BM_Queue_Core_Traced(benchmark::State& state) {
  concur::trace::start(false);
  for (auto _ : state) {
    state.PauseTiming();
    concur::trace::stop();
    concur::trace::start(false);
    state.ResumeTiming();
    queue_batch<CoreQueue>(static_cast<int>(state.range(0)));
  }
  concur::trace::stop();
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_Queue_Core)->ArgName("consumers")->Arg(1)->Arg(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Queue_Core_Traced)->ArgName("consumers")->Arg(1)->Arg(3)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Queue_StdBaseline)->ArgName("consumers")->Arg(1)->Arg(3)->UseRealTime()->Unit(benchmark::kMillisecond);

// Lock: acquire + release, by one thread alone, or by 2 threads taking turns on one lock.
concur::Lock core_lock("bench lock");
std::mutex std_lock;

void BM_Lock_Core(benchmark::State& state) {
  for (auto _ : state) {
    core_lock.acquire();
    core_lock.release();
  }
}
void BM_Lock_StdMutexBaseline(benchmark::State& state) {
  for (auto _ : state) {
    std_lock.lock();
    std_lock.unlock();
  }
}
BENCHMARK(BM_Lock_Core)->Threads(1)->Threads(2)->UseRealTime();

// The same with the run's trace on (--trace, --timeline, --narrate): each acquire and
// release also records an event. A fixed count keeps the record's memory bounded.
void BM_Lock_Core_Traced(benchmark::State& state) {
  for (auto _ : state) {
    core_lock.acquire();
    core_lock.release();
  }
}
void start_trace(const benchmark::State&) { concur::trace::start(false); }
void stop_trace(const benchmark::State&) { concur::trace::stop(); }
BENCHMARK(BM_Lock_Core_Traced)->Iterations(300000)->Threads(1)->Threads(2)->UseRealTime()->Setup(start_trace)->Teardown(stop_trace);
BENCHMARK(BM_Lock_StdMutexBaseline)->Threads(1)->Threads(2)->UseRealTime();

// Semaphore(1): acquire + release by one thread.
void BM_Semaphore_Core(benchmark::State& state) {
  concur::Semaphore sem(1, "bench semaphore");
  for (auto _ : state) {
    sem.acquire();
    sem.release();
  }
}
void BM_Semaphore_StdCountingSemaphoreBaseline(benchmark::State& state) {
  std::counting_semaphore<> sem(1);
  for (auto _ : state) {
    sem.acquire();
    sem.release();
  }
}
BENCHMARK(BM_Semaphore_Core);
BENCHMARK(BM_Semaphore_StdCountingSemaphoreBaseline);

// A whole demo, the unit an instructor traces: `concur demo race --deterministic --seed 1`
// (two threads, 1000 increments each, every load and store a scheduling point), with the
// trace off and on. The ratio is what --trace/--timeline cost a run.
void race_run(benchmark::State& state, bool traced) {
  const concur::demos::Demo* race = concur::demos::find("race");
  concur::demos::Context context;
  context.variant = "unsafe";
  context.deterministic = true;
  for (const auto& o : race->int_options)
    context.ints[o.name] = o.deterministic_default != 0 ? o.deterministic_default : o.default_value;
  for (const auto& o : race->choice_options) context.choices[o.name] = o.values.front();
  for (const auto& o : race->flag_options) context.flags[o.name] = false;
  concur::RunOptions options;
  options.deterministic = true;
  options.seed = 1;
  concur::end_run();
  for (auto _ : state) {
    std::ostringstream out, err;
    concur::begin_run(options, out, err);
    if (traced) concur::trace::start(false);
    benchmark::DoNotOptimize(race->variant(context.variant).run(context));
    if (traced) benchmark::DoNotOptimize(concur::trace::stop());
    concur::end_run();
  }
  concur::begin_run(concur::RunOptions{}, std::cout, std::cerr);
}
void BM_Demo_Race_Deterministic(benchmark::State& state) { race_run(state, false); }
void BM_Demo_Race_Deterministic_Traced(benchmark::State& state) { race_run(state, true); }
BENCHMARK(BM_Demo_Race_Deterministic)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Demo_Race_Deterministic_Traced)->Unit(benchmark::kMillisecond);

// One scheduling decision of a deterministic run (MainThread and one thread reach a point
// each turn, the seed picks who goes on), next to its floor: one bare fiber switch. Issue
// goal: a decision <= 0.3 us.
void BM_Fiber_Switch_Baseline(benchmark::State& state) {
  concur::Fiber main_fiber;
  std::unique_ptr<concur::Fiber> other;
  bool done = false;
  other = std::make_unique<concur::Fiber>(64 * 1024, [&]() -> concur::Fiber* {
    while (!done) other->switch_to(main_fiber);
    return &main_fiber;
  });
  for (auto _ : state) main_fiber.switch_to(*other);  // there and back: two switches
  done = true;
  main_fiber.switch_to(*other);
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_Fiber_Switch_Baseline);

void BM_Deterministic_Decision(benchmark::State& state) {
  concur::RunOptions options;
  options.deterministic = true;
  options.seed = 1;
  concur::end_run();
  std::ostringstream out, err;
  concur::begin_run(options, out, err);
  std::atomic<bool> done{false};
  long others = 0;  // the thread's points: each point of either thread is a decision
  concur::Thread other({.target = [&done, &others] {
    while (!done.load()) {
      concur::yield_point("x");
      ++others;
    }
  }});
  other.start();
  for (auto _ : state) concur::yield_point("x");
  done = true;
  other.join();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) + others);
  concur::end_run();
  concur::begin_run(concur::RunOptions{}, std::cout, std::cerr);
}
BENCHMARK(BM_Deterministic_Decision);

}  // namespace

int main(int argc, char** argv) {
  // One run of the core at lecture speed, as `concur demo` would begin.
  concur::begin_run(concur::RunOptions{}, std::cout, std::cerr);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  concur::end_run();
  return 0;
}
