// The deterministic scheduler (deterministic.h): demo threads take turns one at a time in
// an order drawn from the seed (or a Chooser), on a virtual clock. The same seed gives the
// same output; sleeps and timed waits cost no real time and end exactly at their virtual
// deadline; a lock cycle or a wait that can never end is reported at once and its threads
// unwind; a stopped run gives up the turn so that every parked thread unwinds.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core_fixture.h"
#include "core/run.h"
#include "core/deterministic.h"

using concur::Candidate;
using concur::Chooser;
using concur::Condition;
using concur::Event;
using concur::Lock;
using concur::Queue;
using concur::RunOptions;
using concur::Thread;
using concur::ThreadArgs;
using concur::ThreadExit;
using concur::begin_run;
using concur::end_run;
using concur::print;
using concur::runtime;
using concur::yield_point;
using namespace concur::testing;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
namespace deadlock = concur::deadlock;
namespace lecture = concur::time;  // the lecture clock: virtual in these runs

namespace {

// Counts how many threads left their activity, normally or by unwinding.

// Always runs the thread started last among those that can run.
class LastCandidate : public Chooser {
 public:
  std::size_t choose(const std::vector<Candidate>& runnable, std::size_t seeded) override {
    ++calls;
    if (seeded >= runnable.size()) bad_seeded = true;
    return runnable.size() - 1;
  }
  int calls = 0;
  bool bad_seeded = false;
};

// Lets the seed decide, and records what every candidate was about to do.
class ChoiceRecorder : public Chooser {
 public:
  std::size_t choose(const std::vector<Candidate>& runnable, std::size_t seeded) override {
    if (runnable.size() < 2) too_few = true;
    for (const auto& c : runnable) doing.push_back(c.doing);
    return seeded;
  }
  std::vector<std::string> doing;
  bool too_few = false;
};

}  // namespace

namespace {

// Two threads print 20 numbered lines each.
void two_printers() {
  auto printer = [](const char* who) {
    for (int i = 0; i < 20; ++i) print("{} line {}", who, i);
  };
  Thread a({.target = [&] { printer("A"); }, .target_name = "printer"});
  Thread b({.target = [&] { printer("B"); }, .target_name = "printer"});
  a.start();
  b.start();
  a.join();
  b.join();
}

}  // namespace

TEST_F(DeterministicTest, TheSameSeedGivesTheSameInterleaving) {
  std::string first = run(7, two_printers);
  std::string second = run(7, two_printers);
  EXPECT_EQ(first, second);
  EXPECT_EQ(std::count(first.begin(), first.end(), '\n'), 40);
  std::set<std::string> outputs;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) outputs.insert(run(seed, two_printers));
  EXPECT_GE(outputs.size(), 2u);
}

TEST_F(DeterministicTest, SleepsRunOnAVirtualClockThatCostsNoRealTime) {
  begin(1);
  double took = real_seconds([] {
    Thread sleeper({.target = [] { lecture::sleep(30); }, .target_name = "sleeper"});
    sleeper.start();
    sleeper.join();
  });
  EXPECT_EQ(lecture::perf_counter(), 30.0);
  EXPECT_LT(took, 0.2);
  end();
}

TEST_F(DeterministicTest, SleepsWakeInTheOrderOfTheirEnds) {
  begin(3);
  std::vector<double> woke;  // only the thread holding the turn touches it
  {
    std::vector<std::unique_ptr<Thread>> threads;
    for (double seconds : {3.0, 1.0, 2.0})
      threads.push_back(std::make_unique<Thread>(concur::ThreadArgs{.target = [&woke, seconds] {
        lecture::sleep(seconds);
        woke.push_back(lecture::perf_counter());
        print("slept {:g} s, clock {:.1f}", seconds, lecture::perf_counter());
      }}));
    for (auto& t : threads) t->start();
    for (auto& t : threads) t->join();
  }
  EXPECT_EQ(out(), "slept 1 s, clock 1.0\nslept 2 s, clock 2.0\nslept 3 s, clock 3.0\n");
  EXPECT_EQ(woke, (std::vector<double>{1.0, 2.0, 3.0}));
  end();
}

TEST_F(DeterministicTest, TimedWaitsTimeOutAtTheVirtualDeadline) {
  begin(1);
  // An event nobody sets: the wait gives up when the clock reaches 2.5.
  Event never("never set");
  EXPECT_FALSE(never.wait(2.5));
  EXPECT_EQ(lecture::perf_counter(), 2.5);
  // A lock another thread holds: acquire(timeout=1.5) gives up at 2.5 + 1.5.
  Lock lock("box.lock");
  Event held("held"), go("go");
  Thread holder({.target =
                     [&] {
                       std::lock_guard hold(lock);
                       held.set();
                       go.wait();
                     },
                 .target_name = "holder"});
  holder.start();
  held.wait();
  EXPECT_EQ(lecture::perf_counter(), 2.5);
  EXPECT_FALSE(lock.acquire(true, 1.5));
  EXPECT_EQ(lecture::perf_counter(), 4.0);
  go.set();
  holder.join();
  EXPECT_TRUE(lock.acquire(true, 1.5));  // free now: no waiting
  lock.release();
  EXPECT_EQ(lecture::perf_counter(), 4.0);
  EXPECT_FALSE(deadlock::reported());
  end();
}

TEST_F(DeterministicTest, OnlyOneDemoThreadRunsAtATime) {
  begin(5);
  constexpr int kThreads = 4, kRounds = 100;
  std::atomic<int> counter{0}, running{0}, most{0};
  // Marks the stretch between two scheduling points, where the thread holds the turn.
  auto inside = [&](const std::function<void()>& f) {
    int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    // A window in which another thread running at the same time would be seen.
    std::atomic<int> spin{0};
    while (spin.fetch_add(1, std::memory_order_relaxed) < 500) {
    }
    f();
    --running;
  };
  auto increment = [&] {
    for (int i = 0; i < kRounds; ++i) {
      int x = 0;
      inside([&] { x = counter.load(); });
      yield_point("x.store");
      inside([&] { counter.store(x + 1); });
    }
  };
  {
    std::vector<std::unique_ptr<Thread>> threads;
    for (int i = 0; i < kThreads; ++i)
      threads.push_back(std::make_unique<Thread>(concur::ThreadArgs{.target = increment, .target_name = "increment"}));
    for (auto& t : threads) t->start();
    for (auto& t : threads) t->join();
  }
  EXPECT_EQ(most.load(), 1);
  EXPECT_GE(counter.load(), kRounds);  // updates are lost, but never more than all but one thread's
  EXPECT_LE(counter.load(), kThreads * kRounds);
  end();
}

TEST_F(DeterministicTest, ALockCycleIsReportedAtOnceAndItsThreadsUnwind) {
  begin(1);
  Lock fork1("fork 1"), fork2("fork 2");
  std::atomic<int> exits{0}, ate{0};
  auto philosopher = [&](Lock& left, Lock& right) {
    CountExit count{exits};
    std::lock_guard hold_left(left);
    lecture::sleep(1);
    std::lock_guard hold_right(right);  // never granted: the other holds it and waits for ours
    ++ate;
  };
  Thread first({.target = [&] { philosopher(fork1, fork2); }, .name = "1st"});
  Thread second({.target = [&] { philosopher(fork2, fork1); }, .name = "2nd"});
  double took = real_seconds([&] {
    first.start();
    second.start();
    first.join();
    second.join();
  });
  EXPECT_LT(took, 0.2);
  ASSERT_TRUE(deadlock::reported());
  auto lines = deadlock::report_lines();
  EXPECT_THAT(lines, Contains("Deadlock detected: 2 threads wait for each other in a cycle; none can go on."));
  EXPECT_THAT(lines, Contains("  1st holds fork 1, waits for fork 2 held by 2nd"));
  EXPECT_THAT(lines, Contains("  2nd holds fork 2, waits for fork 1 held by 1st"));
  EXPECT_EQ(lines.size(), 3u);
  EXPECT_THAT(out(), HasSubstr("  1st holds fork 1, waits for fork 2 held by 2nd\n"));
  EXPECT_EQ(ate.load(), 0);
  EXPECT_EQ(exits.load(), 2);
  EXPECT_FALSE(fork1.locked());
  EXPECT_FALSE(fork2.locked());
  EXPECT_EQ(lecture::perf_counter(), 1.0);
  EXPECT_EQ(err(), "");
  EXPECT_EQ(concur::active_count(), 1);
  end();
}

TEST_F(DeterministicTest, AWaitThatCanNeverEndIsReportedAsStuck) {
  begin(1);
  Event never("the go signal");
  std::atomic<int> exits{0};
  bool went = false;
  Thread waiter({.target =
                     [&] {
                       CountExit count{exits};
                       never.wait();
                       went = true;
                     },
                 .target_name = "waiter"});
  waiter.start();
  waiter.join();  // returns: the waiter is unwound
  EXPECT_FALSE(waiter.is_alive());
  EXPECT_FALSE(went);
  EXPECT_EQ(exits.load(), 1);
  ASSERT_TRUE(deadlock::reported());
  auto lines = deadlock::report_lines();
  EXPECT_THAT(lines, Contains(AllOf(HasSubstr("Thread-1 (waiter) waits for the go signal"),
                                    HasSubstr("no thread will release or set"))));
  EXPECT_THAT(lines, Contains("  MainThread waits for Thread-1 (waiter) to finish"));
  EXPECT_EQ(err(), "");
  end();
}

TEST_F(DeterministicTest, ADaemonSleepingForeverIsStoppedWhenItsThreadObjectGoes) {
  begin(1);
  std::atomic<int> exits{0};
  {
    Thread daemon({.target =
                       [&] {
                         CountExit count{exits};
                         for (;;) lecture::sleep(1000);
                       },
                   .target_name = "background",
                   .daemon = true});
    daemon.start();
    lecture::sleep(1);  // the daemon is asleep by now
    EXPECT_TRUE(daemon.is_alive());
  }
  EXPECT_EQ(exits.load(), 1);
  EXPECT_EQ(runtime().daemons_stopped_at_exit(), 1);
  EXPECT_EQ(lecture::perf_counter(), 1.0);  // the clock did not run on to the daemon's wake-up
  EXPECT_FALSE(deadlock::reported());
  end();
}

TEST_F(DeterministicTest, AChooserDecidesWhichThreadRuns) {
  // Always the newest runnable thread: B runs on after setting the event A waits for.
  LastCandidate last;
  auto body = [] {
    Event ev("ev");
    Thread a({.target =
                  [&] {
                    ev.wait();
                    print("A1");
                  },
              .name = "A"});
    Thread b({.target =
                  [&] {
                    print("B1");
                    ev.set();
                    print("B2");
                  },
              .name = "B"});
    a.start();
    b.start();
    a.join();
    b.join();
  };
  EXPECT_EQ(run(1, body, &last), "B1\nB2\nA1\n");
  EXPECT_GE(last.calls, 3);
  EXPECT_FALSE(last.bad_seeded);
  // Every decision (two or more runnable threads) went to the chooser, and only those.
  auto& det = dynamic_cast<concur::DeterministicScheduler&>(concur::scheduler());
  EXPECT_EQ(det.decisions(), static_cast<std::uint64_t>(last.calls));

  // The candidates say what each thread is about to do.
  ChoiceRecorder recorder;
  run(
      2,
      [] {
        Lock box("box.lock");
        auto worker = [&] {
          for (int i = 0; i < 3; ++i) {
            print("tick {}", i);
            { std::lock_guard hold(box); }
            yield_point("x.store");
          }
        };
        Thread a({.target = worker, .target_name = "worker"});
        Thread b({.target = worker, .target_name = "worker"});
        a.start();
        b.start();
        a.join();
        b.join();
      },
      &recorder);
  EXPECT_FALSE(recorder.too_few);
  const auto& doing = recorder.doing;
  EXPECT_TRUE(std::any_of(doing.begin(), doing.end(), [](const std::string& d) { return d.rfind("print tick ", 0) == 0; }))
      << ::testing::PrintToString(doing);
  EXPECT_THAT(doing, Contains("acquire box.lock"));
  EXPECT_THAT(doing, Contains("x.store"));
}

TEST_F(DeterministicTest, CancellingTheRunReleasesEveryParkedThread) {
  begin(1);
  std::atomic<int> exits{0};
  bool main_unwound = false;
  // The watchdog or Ctrl-C: a thread that takes no turns stops the run 20 ms from now.
  std::thread watchdog([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    runtime().cancel(concur::StopReason::kTimeout);
  });
  double took = real_seconds([&] {
    try {
      // A thread that never waits for ever keeps the run going (on the virtual clock).
      Thread ticker({.target =
                         [&] {
                           CountExit count{exits};
                           for (;;) lecture::sleep(1);
                         },
                     .target_name = "ticker"});
      ticker.start();
      Event never("never set");
      never.wait();
    } catch (const ThreadExit&) {
      main_unwound = true;  // as run_demo does: the run was stopped
    }
  });
  watchdog.join();
  EXPECT_TRUE(main_unwound);
  EXPECT_EQ(runtime().cancel_reason(), concur::StopReason::kTimeout);
  EXPECT_EQ(exits.load(), 1);
  EXPECT_EQ(concur::active_count(), 1);
  EXPECT_FALSE(deadlock::reported()) << out();  // a stop is not a deadlock
  EXPECT_LT(took, 0.5);
  end();
}

TEST_F(DeterministicTest, AProducerAndConsumerOverABoundedQueueFinishTheSameWayForTheSameSeed) {
  std::vector<int> consumed;
  auto body = [&consumed] {
    consumed.clear();
    Queue<int> q(2, "q");
    auto producer = [&](int base) {
      for (int i = 0; i < 6; ++i) {
        q.put(base + i);
        print("Producer put {}", base + i);
      }
    };
    auto consumer = [&] {
      for (int i = 0; i < 12; ++i) {
        int item = q.get();
        consumed.push_back(item);
        print("Consumer got {}", item);
      }
    };
    Thread p1({.target = [&] { producer(100); }, .target_name = "producer"});
    Thread p2({.target = [&] { producer(200); }, .target_name = "producer"});
    Thread c({.target = consumer, .target_name = "consumer"});
    p1.start();
    p2.start();
    c.start();
    p1.join();
    p2.join();
    c.join();
  };
  std::string first = run(11, body);
  std::vector<int> first_order = consumed;
  std::string second = run(11, body);
  EXPECT_EQ(first, second);
  EXPECT_EQ(consumed, first_order);
  ASSERT_EQ(consumed.size(), 12u);
  std::vector<int> sorted = consumed;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<int>{100, 101, 102, 103, 104, 105, 200, 201, 202, 203, 204, 205}));
  EXPECT_FALSE(deadlock::reported());
}

TEST_F(DeterministicTest, AConditionNotifyWakesTheWaiter) {
  begin(4);
  Condition cond("cond");
  bool ready = false;  // guarded by cond's lock
  bool result = false;
  double woke_at = -1;
  Thread waiter({.target =
                     [&] {
                       std::lock_guard hold(cond);
                       result = cond.wait_for([&] { return ready; }, 10);
                       woke_at = lecture::perf_counter();
                     },
                 .target_name = "waiter"});
  waiter.start();
  lecture::sleep(1);
  {
    std::lock_guard hold(cond);
    ready = true;
    cond.notify();
  }
  waiter.join();
  EXPECT_TRUE(result);
  EXPECT_EQ(woke_at, 1.0);  // woken by the notify, not by its 10 s timeout
  EXPECT_FALSE(deadlock::reported());
  end();
}

// A Condition over a plain Lock releases it in wait(), and a Lock's release is a scheduling
// point: the thread that runs there must not find the Condition's own mutex held (it would
// block the run's one OS thread for good). Two threads take turns by ticket, as the gil
// demo's simulated interpreter lock does, under every one of twenty seeds.
TEST_F(DeterministicTest, TwoThreadsTakeTurnsOnAConditionOverAPlainLock) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    begin(seed);
    Lock mutex("turn lock");
    Condition turn(mutex, "turn");
    int serving = 0;  // guarded by mutex
    std::vector<int> order;
    auto player = [&](int me) {
      for (int round = 0; round < 50; ++round) {
        std::lock_guard hold(turn);
        turn.wait_for([&] { return serving % 2 == me; });
        order.push_back(me);
        ++serving;
        turn.notify_all();
      }
    };
    Thread a({.target = [&] { player(0); }});
    Thread b({.target = [&] { player(1); }});
    a.start();
    b.start();
    a.join();
    b.join();
    ASSERT_EQ(order.size(), 100u) << "seed " << seed;
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], static_cast<int>(i % 2)) << "seed " << seed;
    EXPECT_FALSE(deadlock::reported());
    end();
  }
}

// --- fibers: every demo thread of a virtual run is a fiber on the run's one OS thread ---

TEST_F(DeterministicTest, EveryDemoThreadOfAVirtualRunRunsOnTheOsThreadThatBeganIt) {
  begin(3);
  pid_t mine = gettid();
  std::vector<pid_t> seen(3, 0);
  {
    std::vector<std::unique_ptr<Thread>> threads;
    for (int i = 0; i < 3; ++i)
      threads.push_back(std::make_unique<Thread>(ThreadArgs{.target = [&seen, i] {
        print("thread {} runs", i);
        seen[static_cast<std::size_t>(i)] = gettid();
      }}));
    for (auto& t : threads) t->start();
    for (auto& t : threads) t->join();
  }
  end();
  EXPECT_THAT(seen, ::testing::Each(mine));
}

TEST_F(DeterministicTest, AThreadSwitchedOutInsideACatchBlockStillRethrowsItsOwnException) {
  // Each thread catches its own error, lets the others run inside the catch block (every
  // print is a scheduling point), then rethrows: what each rethrows must be its own, and
  // none may think an exception is in flight that is another's.
  std::vector<std::string> rethrown(4);
  std::vector<int> in_flight(4, -1);
  run(7, [&] {
    std::vector<std::unique_ptr<Thread>> threads;
    for (int i = 0; i < 4; ++i)
      threads.push_back(std::make_unique<Thread>(ThreadArgs{.target = [&, i] {
        try {
          try {
            throw std::runtime_error("error of thread " + std::to_string(i));
          } catch (const std::runtime_error&) {
            for (int k = 0; k < 5; ++k) print("thread {} handles its error, step {}", i, k);
            in_flight[static_cast<std::size_t>(i)] = std::uncaught_exceptions();
            throw;
          }
        } catch (const std::runtime_error& e) {
          rethrown[static_cast<std::size_t>(i)] = e.what();
        }
      }}));
    for (auto& t : threads) t->start();
    for (auto& t : threads) t->join();
  });
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(rethrown[static_cast<std::size_t>(i)], "error of thread " + std::to_string(i));
    EXPECT_EQ(in_flight[static_cast<std::size_t>(i)], 0) << "thread " << i;
  }
}

TEST_F(DeterministicTest, AThousandThreadsOneAfterAnotherEachGetAStackAndGiveItBack) {
  int finished = 0;
  run(1, [&] {
    for (int i = 0; i < 1000; ++i) {
      Thread t({.target = [&finished] {
        yield_point("x");
        ++finished;
      }});
      t.start();
      t.join();
    }
  });
  EXPECT_EQ(finished, 1000);
}
