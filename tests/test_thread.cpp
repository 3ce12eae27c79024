// threading.Thread (PYTHON_SEMANTICS.md 15-19): names, start/join errors, join's timeout,
// daemon, enumerate/active_count, and an uncaught exception in a thread.
#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core_fixture.h"

using concur::Event;
using concur::Thread;
using concur::ThreadArgs;
using namespace concur::testing;
using ::testing::HasSubstr;

class ThreadTest : public concur::testing::CoreTest {};

namespace {

// A subclass as the lecture writes them: `class MyThread(Thread): def run(self): ...`.
class MyThread : public Thread {
 public:
  std::string seen_name;

 protected:
  void run() override { seen_name = concur::current_thread_name(); }
};

}  // namespace

// 15. Names.
TEST_F(ThreadTest, TheMainThreadIsCalledMainThread) {
  EXPECT_EQ(concur::current_thread_name(), "MainThread");
  EXPECT_EQ(concur::enumerate(), std::vector<std::string>{"MainThread"});
}

TEST_F(ThreadTest, UnnamedThreadsAreCalledThreadNCountingFromOne) {
  Thread a({.target = [] {}});
  Thread b({.target = [] {}});
  EXPECT_EQ(a.name(), "Thread-1");
  EXPECT_EQ(b.name(), "Thread-2");
}

TEST_F(ThreadTest, ATargetNameIsAppendedInParentheses) {
  Thread a({.target = [] {}, .target_name = "consumer"});
  Thread b({.target = [] {}, .target_name = "producer"});
  EXPECT_EQ(a.name(), "Thread-1 (consumer)");
  EXPECT_EQ(b.name(), "Thread-2 (producer)");
}

TEST_F(ThreadTest, TheCounterAdvancesOnlyForUnnamedThreads) {
  Thread named({.target = [] {}, .name = "Worker Thread"});
  Thread unnamed({.target = [] {}});
  EXPECT_EQ(named.name(), "Worker Thread");
  EXPECT_EQ(unnamed.name(), "Thread-1");
}

TEST_F(ThreadTest, TheCounterStartsAtOneInEachRun) {
  // The fixture began a new run: earlier tests' threads do not count.
  Thread t;
  EXPECT_EQ(t.name(), "Thread-1");
}

TEST_F(ThreadTest, ASubclassIsStillThreadN) {
  Thread first({.target = [] {}});
  MyThread mine;
  EXPECT_EQ(mine.name(), "Thread-2");
  mine.start();
  mine.join();
  EXPECT_EQ(mine.seen_name, "Thread-2");  // current_thread().name inside run()
}

TEST_F(ThreadTest, TheThreadSeesItsOwnNameAndIdent) {
  std::string name;
  long ident = 0;
  Thread t({.target =
                [&] {
                  name = concur::current_thread_name();
                  ident = concur::get_ident();
                },
            .target_name = "f"});
  EXPECT_EQ(t.ident(), 0);  // None before start
  t.start();
  t.join();
  EXPECT_EQ(name, "Thread-1 (f)");
  EXPECT_EQ(ident, t.ident());
  EXPECT_NE(t.ident(), concur::get_ident());
  EXPECT_NE(t.native_id(), 0);
}

// 16. Start and join errors.
TEST_F(ThreadTest, StartingAThreadTwiceRaisesRuntimeError) {
  Thread t({.target = [] {}});
  t.start();
  EXPECT_EQ(py_error([&] { t.start(); }), "RuntimeError: threads can only be started once");
  t.join();
  EXPECT_EQ(py_error([&] { t.start(); }), "RuntimeError: threads can only be started once");
}

TEST_F(ThreadTest, JoiningAnUnstartedThreadRaisesRuntimeError) {
  Thread t({.target = [] {}});
  EXPECT_EQ(py_error([&] { t.join(); }), "RuntimeError: cannot join thread before it is started");
}

TEST_F(ThreadTest, AThreadJoiningItselfRaisesRuntimeError) {
  std::string error;
  std::unique_ptr<Thread> t;
  t = std::make_unique<Thread>(ThreadArgs{.target = [&] { error = py_error([&] { t->join(); }); }});
  t->start();
  t->join();
  EXPECT_EQ(error, "RuntimeError: cannot join current thread");
}

// 17. join(timeout), is_alive, daemon.
TEST_F(ThreadTest, JoinWithATimeoutReturnsAndIsAliveTellsItTimedOut) {
  Event go;
  Thread t({.target = [&] { go.wait(5000); }});
  EXPECT_FALSE(t.is_alive());
  t.start();
  EXPECT_TRUE(t.is_alive());
  double start = concur::time::perf_counter();
  t.join(10);
  EXPECT_GE(concur::time::perf_counter() - start, 10 * 0.99);
  EXPECT_TRUE(t.is_alive());  // timed out
  go.set();
  t.join(5000);
  EXPECT_FALSE(t.is_alive());  // finished
}

TEST_F(ThreadTest, JoiningAFinishedThreadAgainReturnsAtOnce) {
  Thread t({.target = [] {}});
  t.start();
  t.join();
  t.join();
  t.join(0);
  EXPECT_FALSE(t.is_alive());
}

TEST_F(ThreadTest, SettingDaemonAfterStartRaisesRuntimeError) {
  Thread t({.target = [] {}});
  t.set_daemon(true);
  EXPECT_TRUE(t.daemon());
  t.start();
  EXPECT_EQ(py_error([&] { t.set_daemon(false); }), "RuntimeError: cannot set daemon status of active thread");
  t.join();
}

TEST_F(ThreadTest, DaemonDefaultsToTheCreatorsFlag) {
  Thread from_main({.target = [] {}});
  EXPECT_FALSE(from_main.daemon());  // MainThread is not a daemon
  std::optional<bool> child_daemon, explicit_child_daemon;
  Thread daemon({.target =
                     [&] {
                       Thread child({.target = [] {}});
                       Thread explicit_child({.target = [] {}, .daemon = false});
                       child_daemon = child.daemon();
                       explicit_child_daemon = explicit_child.daemon();
                     },
                 .daemon = true});
  EXPECT_TRUE(daemon.daemon());
  daemon.start();
  daemon.join();
  EXPECT_EQ(child_daemon, true);
  EXPECT_EQ(explicit_child_daemon, false);
}

// 18. enumerate and active_count.
TEST_F(ThreadTest, AJoinedThreadLeavesEnumerate) {
  Event go;
  Thread t({.target = [&] { go.wait(5000); }, .name = "worker"});
  EXPECT_EQ(concur::enumerate(), std::vector<std::string>{"MainThread"});  // not started yet
  t.start();
  EXPECT_EQ(concur::enumerate(), (std::vector<std::string>{"MainThread", "worker"}));
  go.set();
  t.join();
  EXPECT_EQ(concur::enumerate(), std::vector<std::string>{"MainThread"});
}

TEST_F(ThreadTest, ActiveCountIsTheLengthOfEnumerateAndIncludesTheMainThread) {
  EXPECT_EQ(concur::active_count(), 1);
  Event go;
  std::vector<std::unique_ptr<Thread>> threads;
  for (int i = 0; i < 3; ++i) {
    threads.push_back(std::make_unique<Thread>(ThreadArgs{.target = [&] { go.wait(5000); }}));
    threads.back()->start();
  }
  EXPECT_EQ(concur::active_count(), 4);
  EXPECT_EQ(concur::active_count(), static_cast<int>(concur::enumerate().size()));
  EXPECT_EQ(concur::enumerate().front(), "MainThread");
  go.set();
  for (auto& t : threads) t->join();
  EXPECT_EQ(concur::active_count(), 1);
}

// 19. An uncaught exception in a thread.
TEST_F(ThreadTest, AnUncaughtExceptionPrintsExceptionInThreadNameOnStderr) {
  Thread t({.target = [] { throw concur::RuntimeError("oops"); }, .target_name = "boom"});
  t.start();
  t.join();
  EXPECT_THAT(err(), HasSubstr("Exception in thread Thread-1 (boom):\n"));
  EXPECT_THAT(err(), HasSubstr("RuntimeError: oops\n"));
  EXPECT_EQ(out(), "");
  EXPECT_FALSE(t.is_alive());
}

TEST_F(ThreadTest, AnUncaughtStdExceptionIsReportedToo) {
  Thread t({.target = [] { throw std::out_of_range("index 7"); }, .name = "reader"});
  t.start();
  t.join();
  EXPECT_THAT(err(), HasSubstr("Exception in thread reader:\n"));
  EXPECT_THAT(err(), HasSubstr("index 7"));
}

TEST_F(ThreadTest, TheProgramGoesOnAfterAThreadDiesOfAnException) {
  Thread bad({.target = [] { throw concur::ValueError("bad value"); }});
  bad.start();
  bad.join();
  int result = 0;
  Thread good({.target = [&] { result = 42; }});
  good.start();
  good.join();
  EXPECT_EQ(result, 42);
  EXPECT_EQ(concur::active_count(), 1);
  EXPECT_THAT(err(), HasSubstr("Exception in thread Thread-1:\nValueError: bad value\n"));
}

TEST_F(ThreadTest, AThreadTheCoreDidNotStartIsADummyThread) {
  std::string name;
  std::thread foreign([&] { name = concur::current_thread_name(); });
  foreign.join();
  EXPECT_EQ(name, "Dummy-1");
}
