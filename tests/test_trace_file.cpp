// --trace FILE: a run's events as Chrome Trace TraceEvent JSON (src/cli/trace_file.h), from
// synthetic events: metadata, slices in lecture microseconds, instants, nesting, and a file
// that is complete or absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/trace_file.h"
#include "cli/usage_error.h"
#include "cli_fixture.h"
#include "core/runtime.h"

namespace {

namespace fs = std::filesystem;
using concur::SiteKind;
using namespace concur::testing;
using concur::ThreadState;
using TraceEvent = concur::trace::Event;
using concur::trace::Kind;
using nlohmann::json;

TraceEvent at(double t, Kind kind, const ThreadState& who, const std::string& name, SiteKind site = SiteKind::kSleep,
         std::string object = {}, std::string action = {}, double value = 0) {
  return TraceEvent{t, kind, &who, name, site, std::move(object), std::move(action), value};
}

// The trace events named `name` (metadata included).
std::vector<json> named(const json& doc, const std::string& name) {
  std::vector<json> found;
  for (const json& e : doc.at("traceEvents"))
    if (e.at("name") == name) found.push_back(e);
  return found;
}

// A fresh directory under the system's temporary directory, removed after the test.
class TraceFileTest : public ::testing::Test {
 protected:
  // Thread-1 waits 1.25 s for a semaphore; Thread-2 holds fork 1, then fork 2 inside it, and
  // is stopped mid-sleep; MainThread puts into a queue.
  std::vector<TraceEvent> run() const {
    return {at(0.0, Kind::kStart, worker_, "Thread-1"),
            at(0.1, Kind::kStart, philosopher_, "Thread-2"),
            at(0.25, Kind::kInstant, main_, "MainThread", SiteKind::kQueue, "queue 1", "puts an item into", 1),
            at(0.5, Kind::kWait, worker_, "Thread-1", SiteKind::kSemaphore, "semaphore 1"),
            at(1.0, Kind::kHold, philosopher_, "Thread-2", SiteKind::kLock, "fork 1"),
            at(1.2, Kind::kHold, philosopher_, "Thread-2", SiteKind::kLock, "fork 2"),
            at(1.75, Kind::kWoken, worker_, "Thread-1", SiteKind::kSemaphore, "semaphore 1"),
            at(2.0, Kind::kRelease, philosopher_, "Thread-2", SiteKind::kLock, "fork 2"),
            at(2.5, Kind::kRelease, philosopher_, "Thread-2", SiteKind::kLock, "fork 1"),
            at(2.6, Kind::kSleep, philosopher_, "Thread-2", SiteKind::kSleep, "", "", 5),
            at(3.0, Kind::kEnd, worker_, "Thread-1")};
  }

  TempDir dir_{"trace"};
  ThreadState main_, worker_, philosopher_;
};

TEST_F(TraceFileTest, WrittenFileParsesAsATraceEventDocument) {
  std::string path = dir_.file("run.json");
  concur::cli::write_trace(run(), {}, path, "concur demo semaphore", 4242);
  std::ifstream in(path);
  json doc = json::parse(in);
  EXPECT_TRUE(doc.at("traceEvents").is_array());
  EXPECT_EQ(doc.at("displayTimeUnit"), "ms");
  EXPECT_EQ(doc.at("otherData").at("clock"), "lecture seconds");
  EXPECT_EQ(doc, concur::cli::trace_json(run(), "concur demo semaphore", 4242));
}

TEST_F(TraceFileTest, MetadataNamesTheProcessAndEachThreadMainThreadFirst) {
  json doc = concur::cli::trace_json(run(), "concur demo semaphore", 4242);
  std::vector<json> process = named(doc, "process_name");
  ASSERT_EQ(process.size(), 1u);
  EXPECT_EQ(process[0].at("ph"), "M");
  EXPECT_EQ(process[0].at("pid"), 4242);
  EXPECT_EQ(process[0].at("args").at("name"), "concur demo semaphore");
  std::map<long, std::string> threads;
  for (const json& e : named(doc, "thread_name")) threads[e.at("tid")] = e.at("args").at("name");
  EXPECT_EQ(threads, (std::map<long, std::string>{{1, "MainThread"}, {2, "Thread-1"}, {3, "Thread-2"}}));
  for (const json& e : named(doc, "thread_sort_index")) EXPECT_EQ(e.at("args").at("sort_index"), e.at("tid"));
}

TEST_F(TraceFileTest, AWaitIsACompleteSliceInLectureMicroseconds) {
  std::vector<json> waits = named(concur::cli::trace_json(run(), "p", 1), "wait for semaphore 1");
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].at("ph"), "X");
  EXPECT_EQ(waits[0].at("ts"), 500000);
  EXPECT_EQ(waits[0].at("dur"), 1250000);
  EXPECT_EQ(waits[0].at("cat"), "semaphore");
  EXPECT_EQ(waits[0].at("tid"), 2);
  EXPECT_EQ(waits[0].at("args").at("got"), true);
}

TEST_F(TraceFileTest, AQueuePutIsAThreadScopedInstant) {
  std::vector<json> puts = named(concur::cli::trace_json(run(), "p", 1), "puts an item into queue 1");
  ASSERT_EQ(puts.size(), 1u);
  EXPECT_EQ(puts[0].at("ph"), "i");
  EXPECT_EQ(puts[0].at("s"), "t");
  EXPECT_EQ(puts[0].at("ts"), 250000);
  EXPECT_EQ(puts[0].at("tid"), 1);
  EXPECT_EQ(puts[0].at("args").at("queue size"), 1);
}

TEST_F(TraceFileTest, TwoForksHeldAtOnceNestInsideRun) {
  json doc = concur::cli::trace_json(run(), "p", 1);
  json fork1 = named(doc, "hold fork 1").at(0), fork2 = named(doc, "hold fork 2").at(0);
  json life = named(doc, "run()").at(1);
  EXPECT_EQ(life.at("tid"), 3);
  EXPECT_EQ(fork1.at("ts"), 1000000);
  EXPECT_EQ(fork1.at("dur"), 1500000);
  EXPECT_EQ(fork2.at("ts"), 1200000);
  EXPECT_EQ(fork2.at("dur"), 800000);
  EXPECT_GE(fork1.at("ts"), life.at("ts"));
  EXPECT_LE(fork1.at("ts").get<long>() + fork1.at("dur").get<long>(),
            life.at("ts").get<long>() + life.at("dur").get<long>());
}

TEST_F(TraceFileTest, ASpanLeftOpenClosesAtTheRunsLastTimestamp) {
  json doc = concur::cli::trace_json(run(), "p", 1);
  json sleep = named(doc, "sleep").at(0), life = named(doc, "run()").at(1);
  EXPECT_EQ(sleep.at("ts").get<long>() + sleep.at("dur").get<long>(), 3000000);
  EXPECT_EQ(sleep.at("args").at("unfinished"), true);
  EXPECT_EQ(life.at("ts").get<long>() + life.at("dur").get<long>(), 3000000);
}

TEST_F(TraceFileTest, LocksReleasedOutOfOrderAreCutToNest) {
  std::vector<TraceEvent> events = {at(0, Kind::kHold, worker_, "Thread-1", SiteKind::kLock, "a"),
                               at(1, Kind::kHold, worker_, "Thread-1", SiteKind::kLock, "b"),
                               at(2, Kind::kRelease, worker_, "Thread-1", SiteKind::kLock, "a"),
                               at(3, Kind::kRelease, worker_, "Thread-1", SiteKind::kLock, "b")};
  json b = named(concur::cli::trace_json(events, "p", 1), "hold b").at(0);
  EXPECT_EQ(b.at("dur"), 1000000);
  EXPECT_EQ(b.at("args").at("recorded_dur_us"), 2000000);
}

TEST_F(TraceFileTest, WritingIntoAMissingDirectoryThrowsAndLeavesNothing) {
  std::string path = dir_.file("missing/run.json");
  EXPECT_THROW(concur::cli::write_trace(run(), {}, path, "p", 1), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir_.file("missing")));
  EXPECT_THAT(dir_.entries(), ::testing::IsEmpty());
}

TEST_F(TraceFileTest, WriteLeavesOnlyTheTraceFileBehind) {
  concur::cli::write_trace(run(), {}, dir_.file("run.json"), "p", 1);
  concur::cli::write_trace(run(), {}, dir_.file("run.json"), "p", 1);  // replaces it
  EXPECT_THAT(dir_.entries(), ::testing::ElementsAre("run.json"));
}

TEST_F(TraceFileTest, CheckRejectsADirectory) {
  EXPECT_THROW(concur::cli::check_trace_path("--trace", dir_.path()), concur::cli::UsageError);
}

TEST_F(TraceFileTest, CheckRejectsAMissingDirectoryWithOneLine) {
  std::string path = dir_.file("missing/run.json");
  try {
    concur::cli::check_trace_path("--trace", path);
    FAIL() << "no UsageError";
  } catch (const concur::cli::UsageError& e) {
    EXPECT_THAT(e.what(), ::testing::StartsWith("--trace: cannot write '" + path + "': "));
    EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr("\n")));
  }
}

// Root writes into any directory, so the check runs in a child that is an ordinary user
// (nobody) when the test runs as root. Exit 0: refused; 1: accepted; 4: cannot test.
TEST_F(TraceFileTest, CheckRejectsAnUnwritableDirectory) {
  ASSERT_EQ(::chmod(dir_.path().c_str(), 0555), 0);
  std::string path = dir_.file("run.json");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(4);
    if (::access(dir_.path().c_str(), X_OK) != 0) ::_exit(4);  // the folder must be reachable, only unwritable
    try {
      concur::cli::check_trace_path("--trace", path);
      ::_exit(1);
    } catch (const concur::cli::UsageError&) {
      ::_exit(0);
    } catch (...) {
      ::_exit(4);
    }
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: the path was accepted; 4: no ordinary user could reach the folder";
  EXPECT_THAT(dir_.entries(), ::testing::IsEmpty());
}

TEST_F(TraceFileTest, CheckAcceptsAFreshPathAndCreatesNothing) {
  EXPECT_NO_THROW(concur::cli::check_trace_path("--trace", dir_.file("run.json")));
  EXPECT_THAT(dir_.entries(), ::testing::IsEmpty());
}

}  // namespace
