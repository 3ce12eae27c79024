// multiprocessing.Pipe: duplex socketpair, one-way pipe ends, whole messages, EOFError.
#include <sys/wait.h>
#include <unistd.h>

#include "core_fixture.h"

namespace concur::process {
namespace {

using PipeTest = concur::testing::CoreTest;

TEST_F(PipeTest, DuplexEndsSendBothWaysInOrder) {
  auto [a, b] = Pipe();
  a.send(List{42, None{}, "hello"});
  a.send("second");
  b.send(7);
  EXPECT_EQ(repr(b.recv()), "[42, None, 'hello']");
  EXPECT_EQ(repr(b.recv()), "'second'");
  EXPECT_EQ(a.recv().as_int(), 7);
}

TEST_F(PipeTest, OneWayPipeReadsOnTheFirstEndAndWritesOnTheSecond) {
  auto [r, w] = Pipe(false);
  w.send("Hello from sender!");
  EXPECT_EQ(r.recv().as_str(), "Hello from sender!");
  EXPECT_THROW(r.send(1), OSError);
  EXPECT_THROW(w.recv(), OSError);
  try {
    r.send(1);
  } catch (const OSError& e) {
    EXPECT_STREQ(e.what(), "connection is read-only");
  }
}

TEST_F(PipeTest, RecvAfterThePeerClosedIsEOFErrorNotAHang) {
  auto [a, b] = Pipe();
  a.send("last");
  a.close();
  EXPECT_EQ(b.recv().as_str(), "last");
  EXPECT_THROW(b.recv(), EOFError);
}

TEST_F(PipeTest, PollSaysWhetherAMessageWaits) {
  auto [a, b] = Pipe();
  EXPECT_FALSE(b.poll(0));
  a.send(1);
  EXPECT_TRUE(b.poll(1));
}

// A negative timeout waits not at all (CPython 3.11's connection.wait treats it as 0);
// std::nullopt is Python's None. Were poll(-1) to wait for ever, the helper's late message
// would end it after 2 s of real time and the test fail instead of hang.
TEST_F(PipeTest, PollWithANegativeTimeoutWaitsNotAtAll) {
  auto [a, b] = Pipe();
  Event done;
  Thread helper({.target = [&, &a = a] {
    if (!done.wait(2000)) a.send("late");
  }});
  helper.start();
  double took = concur::testing::real_seconds([&] { EXPECT_FALSE(b.poll(-1)); });
  done.set();
  helper.join();
  EXPECT_LT(took, 1.0);
  a.send(1);
  EXPECT_TRUE(b.poll(-1));  // a message waits: true, still without waiting
  EXPECT_TRUE(b.poll(std::nullopt));
}

// _TestConnection.test_invalid_handles: Connection(-1) raises ValueError("invalid handle").
TEST_F(PipeTest, AConnectionOnANegativeHandleIsAValueError) {
  EXPECT_EQ(concur::testing::py_error([] { Connection(Fd(-1), true, true); }), "ValueError: invalid handle");
  auto [a, b] = Pipe();
  EXPECT_EQ(concur::testing::py_error([&, &a = a] { Connection(Fd(::dup(a.fileno())), false, false); }),
            "ValueError: at least one of `readable` and `writable` must be True");
}

TEST_F(PipeTest, LargeMessagesArriveWhole) {
  auto [a, b] = Pipe();
  std::string big(1 << 20, 'x');
  std::thread sender([&] { a.send(big); });
  EXPECT_EQ(b.recv().as_str().size(), big.size());
  sender.join();
}

TEST_F(PipeTest, AStoppedRunUnblocksRecv) {
  auto [a, b] = Pipe();
  std::thread stopper([] { runtime().cancel(concur::StopReason::kTimeout); });
  EXPECT_THROW(b.recv(), ThreadExit);
  stopper.join();
}

TEST_F(PipeTest, AForkedChildTalksBackOverTheDuplexPipe) {
  auto [parent_conn, child_conn] = Pipe();
  Process p({.target = [&] {
    child_conn.send("Hello from child process!");
    print("Child received: {}", str(child_conn.recv()));
  }});
  p.start();
  print("Parent received: {}", str(parent_conn.recv()));
  parent_conn.send("Hello from parent process!");
  p.join();
  EXPECT_EQ(p.exitcode(), 0);
  EXPECT_THAT(out(), ::testing::HasSubstr("Parent received: Hello from child process!\n"));
  EXPECT_THAT(out(), ::testing::HasSubstr("Child received: Hello from parent process!\n"));
}

}  // namespace
}  // namespace concur::process
