// multiprocessing.Manager: the server process SyncManager-N, list and Namespace proxies used
// from the parent and forked children, errors with Python's names, a stopped run or a dead
// server never hanging a call, and nothing left behind after shutdown.
#include <signal.h>
#include <sys/types.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <thread>

#include "core_fixture.h"
#include "core/process/manager.h"
#include "core/process/process.h"
#include "process_probes.h"

namespace concur::process {
namespace {

using ManagerTest = concur::testing::CoreTest;
using namespace concur::testing;

// Whether the abstract socket `address` ("@name") is still bound anywhere.
bool bound(const std::string& address) {
  std::ifstream unix_sockets("/proc/net/unix");
  std::string text((std::istreambuf_iterator<char>(unix_sockets)), std::istreambuf_iterator<char>());
  return text.find(address) != std::string::npos;
}

TEST_F(ManagerTest, TheServerProcessIsNamedSyncManagerAndSharesTheProcessCounter) {
  Process before({.target = [] {}});
  auto manager = Manager();
  Process after({.target = [] {}});
  EXPECT_EQ(before.name(), "Process-1");
  EXPECT_EQ(manager->name(), "SyncManager-2");
  EXPECT_EQ(after.name(), "Process-3");
  EXPECT_TRUE(manager->is_alive());
}

TEST_F(ManagerTest, AListRoundTripsFromParentToChildAndBack) {
  auto manager = Manager();
  ListProxy records = manager->list({List{"Computers", 1}, List{"History", 5}});
  Process child({.target = [records] {
    // The child reads what the parent put, and appends a record derived from it.
    Value first = records[0];
    records.append(List{first.as_list()[0].as_str() + "!", records.len()});
  }});
  child.start();
  child.join();
  EXPECT_EQ(child.exitcode(), 0);
  EXPECT_EQ(records.len(), 3);
  EXPECT_EQ(repr(records[-1]), "['Computers!', 2]");
  EXPECT_EQ(records.repr(), "[['Computers', 1], ['History', 5], ['Computers!', 2]]");
  EXPECT_EQ(repr(Value(records.to_list())), records.repr());
}

TEST_F(ManagerTest, NamespaceReprSortsTheAttributesAndHidesUnderscoredOnes) {
  auto manager = Manager();
  NamespaceProxy ns = manager->Namespace();
  EXPECT_EQ(ns.repr(), "Namespace()");
  ns.set("y", 1);
  ns.set("x", 1);
  ns.set("_private", 7);
  ns.set("name", "Hindi");
  EXPECT_EQ(ns.repr(), "Namespace(name='Hindi', x=1, y=1)");
  EXPECT_EQ(ns.get("_private").as_int(), 7);
}

TEST_F(ManagerTest, AChildsNamespaceChangesAreSeenByTheParent) {
  auto manager = Manager();
  NamespaceProxy using_ns = manager->Namespace();
  using_ns.set("x", 1);
  using_ns.set("y", 1);
  Process p({.target = [using_ns] {
    using_ns.set("x", using_ns.get("x").as_int() + 5);
    using_ns.set("y", using_ns.get("y").as_int() * 10);
  }});
  p.start();
  p.join();
  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_EQ(using_ns.repr(), "Namespace(x=6, y=10)");
}

TEST_F(ManagerTest, EachCallIsAtomicSoTwoChildrenAppendingLoseNothing) {
  auto manager = Manager();
  ListProxy items = manager->list();
  auto append_100 = [items] {
    for (int i = 0; i < 100; ++i) items.append(i);
  };
  Process a({.target = append_100});
  Process b({.target = append_100});
  a.start();
  b.start();
  for (int i = 0; i < 100; ++i) items.append(-1);  // the parent too, from its own connection
  a.join();
  b.join();
  EXPECT_EQ(items.len(), 300);
}

TEST_F(ManagerTest, MissingItemsAndAttributesRaisePythonsErrors) {
  auto manager = Manager();
  ListProxy records = manager->list({1, 2});
  NamespaceProxy ns = manager->Namespace();
  EXPECT_EQ(py_error([&] { records.get(2); }), "IndexError: list index out of range");
  EXPECT_EQ(py_error([&] { records.get(-3); }), "IndexError: list index out of range");
  EXPECT_EQ(records.get(-2).as_int(), 1);
  EXPECT_EQ(py_error([&] { ns.get("z"); }), "AttributeError: 'Namespace' object has no attribute 'z'");
  // The error crossed back whole: the connection still serves the next call.
  EXPECT_EQ(records.len(), 2);
}

TEST_F(ManagerTest, UsingAProxyAfterShutdownRaisesConnectionRefusedError) {
  auto manager = Manager();
  ListProxy records = manager->list({1});
  NamespaceProxy ns = manager->Namespace();
  EXPECT_EQ(records.len(), 1);  // this thread now holds a connection
  manager->shutdown();
  EXPECT_EQ(py_error([&] { records.append(2); }), "ConnectionRefusedError: [Errno 111] Connection refused");
  EXPECT_EQ(py_error([&] { ns.repr(); }), "ConnectionRefusedError: [Errno 111] Connection refused");
  EXPECT_EQ(py_error([&] { manager->list(); }), "AssertionError: server not yet started");
  manager->shutdown();  // idempotent
}

TEST_F(ManagerTest, ShutdownReapsTheServerAndLeavesNoSocketBehind) {
  auto manager = Manager();
  int pid = *manager->pid();
  std::string address = manager->address();
  EXPECT_TRUE(bound(address)) << address;
  manager->list({1}).append(2);
  manager->shutdown();
  EXPECT_EQ(manager->exitcode(), 0);
  EXPECT_FALSE(manager->is_alive());
  EXPECT_TRUE(gone(pid));
  EXPECT_FALSE(bound(address));
  EXPECT_TRUE(active_children().empty());
}

TEST_F(ManagerTest, TheDestructorShutsTheServerDown) {
  int pid;
  {
    auto manager = Manager();
    pid = *manager->pid();
    manager->Namespace().set("x", 1);
  }
  EXPECT_TRUE(gone(pid));
}

TEST_F(ManagerTest, AServerKilledMidRunMakesTheNextCallRaiseInsteadOfHanging) {
  auto manager = Manager();
  ListProxy records = manager->list({1});
  EXPECT_EQ(records.len(), 1);
  ::kill(*manager->pid(), SIGKILL);
  ASSERT_TRUE(eventually([&] { return !manager->is_alive(); }));
  EXPECT_EQ(py_error([&] { records.len(); }), "ConnectionRefusedError: [Errno 111] Connection refused");
  manager->shutdown();
  EXPECT_EQ(manager->exitcode(), -SIGKILL);
}

TEST_F(ManagerTest, AServerThatDiesBeforeReadingTheRequestRaisesConnectionResetError) {
  auto manager = Manager();
  ListProxy records = manager->list({1});
  EXPECT_EQ(records.len(), 1);
  int pid = *manager->pid();
  ::kill(pid, SIGSTOP);  // the next request gets no reply until...
  std::thread killer([pid] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(pid, SIGKILL);  // ...the server dies holding it
  });
  EXPECT_EQ(py_error([&] { records.len(); }), "ConnectionResetError: [Errno 104] Connection reset by peer");
  killer.join();
}

TEST_F(ManagerTest, AStoppedRunUnblocksACallWaitingForAReply) {
  auto manager = Manager();
  ListProxy records = manager->list();
  records.append(1);
  ::kill(*manager->pid(), SIGSTOP);
  std::thread stopper([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    runtime().cancel(concur::StopReason::kTimeout);
  });
  EXPECT_THROW(records.len(), ThreadExit);
  stopper.join();
  ::kill(*manager->pid(), SIGCONT);
  // The destructor (run stopped) still terminates and reaps the server.
  int pid = *manager->pid();
  manager.reset();
  EXPECT_TRUE(gone(pid));
}

TEST_F(ManagerTest, AChildOfAChildConnectsAfreshToo) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "under TSan: a child forked from a multi-threaded process that starts threads of its own (to relay "
                  "its grandchild's output) is ended by ThreadSanitizer's die_after_fork, so the grandchild may never "
                  "run";
#endif
  auto manager = Manager();
  NamespaceProxy ns = manager->Namespace();
  ns.set("depth", 0);
  Process child({.target = [ns] {
    ns.set("depth", 1);
    Process grandchild({.target = [ns] { ns.set("depth", ns.get("depth").as_int() + 1); }});
    grandchild.start();
    grandchild.join();
  }});
  child.start();
  child.join();
  EXPECT_EQ(ns.get("depth").as_int(), 2);
}

}  // namespace
}  // namespace concur::process
