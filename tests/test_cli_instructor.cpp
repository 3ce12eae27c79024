// The instructor's views through the CLI: --narrate, --timeline, --trace, --record and the
// per-thread colours, on real demo runs (deterministic, so the events are the same each time).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "binary_fixture.h"
#include "cli_fixture.h"

namespace {

using namespace concur::testing;  // the fixtures
using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;


CliResult semaphore_with(std::vector<std::string> extra) {
  std::vector<std::string> args = {"demo", "semaphore", "--deterministic", "--seed", "1", "--color", "never"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(args);
}

TEST(InstructorViewTest, NarrateTellsTheConsumersWaitAfterItsOwnLine) {
  CliResult r = semaphore_with({"--narrate"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto waiting = r.out.find("Consumer is waiting\n");
  ASSERT_NE(waiting, std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("    ~ Thread-1 waits: semaphore is 0", waiting), r.out.find('\n', waiting) + 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("    ~ Thread-2 releases semaphore"));
}

TEST(InstructorViewTest, TimelineHasOneRowPerThreadAndALegend) {
  CliResult r = run_cli({"demo", "threads", "--variant", "numbers-letters", "--deterministic", "--seed", "1", "--color",
                         "never", "--timeline"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto chart = r.out.substr(r.out.find("Timeline"));
  for (const char* row : {"\nMainThread ", "\nThread-1 (print", "\nThread-2 (print"})
    EXPECT_EQ(chart.find(row), chart.rfind(row)) << row << " should be one row:\n" << chart;
  for (const char* row : {"\nMainThread ", "\nThread-1 (print", "\nThread-2 (print"})
    EXPECT_THAT(chart, HasSubstr(row)) << chart;
  EXPECT_THAT(chart, HasSubstr("Legend:"));
  EXPECT_THAT(chart, HasSubstr(". sleeping"));
  EXPECT_THAT(chart, Not(HasSubstr("\x1b[")));
}

TEST(InstructorViewTest, TraceFileParsesAndNamesEveryThreadWithWaitsAndHolds) {
  TempDir dir{"instructor"};
  std::string path = dir.file("semaphore.json");
  CliResult r = semaphore_with({"--trace", path});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(slurp(path));
  std::set<std::string> threads, names;
  for (const auto& e : doc["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name") threads.insert(e["args"]["name"].get<std::string>());
    names.insert(e["name"].get<std::string>());
  }
  EXPECT_TRUE(threads.count("MainThread"));
  EXPECT_TRUE(threads.count("Thread-1"));
  EXPECT_TRUE(threads.count("Thread-20"));
  EXPECT_TRUE(names.count("wait for semaphore"));
  EXPECT_TRUE(names.count("releases semaphore"));
  EXPECT_THAT(dir.entries(), ::testing::ElementsAre("semaphore.json")) << "only the trace, no temporary file";
}

TEST(InstructorViewTest, BadTracePathIsOneLineAndCreatesNothing) {
  TempDir dir{"instructor"};
  CliResult r = semaphore_with({"--trace", dir.file("missing/trace.json")});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(dir.entries(), ::testing::IsEmpty());
}

TEST(InstructorViewTest, RecordingHasAnAsciicastHeaderAndMonotonicTimes) {
  TempDir dir{"instructor"};
  std::string path = dir.file("lock.cast");
  CliResult r = run_cli({"demo", "lock", "--fast", "--seed", "1", "--color", "never", "--record", path});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream cast(slurp(path));
  std::string line;
  ASSERT_TRUE(std::getline(cast, line));
  auto header = nlohmann::json::parse(line);
  EXPECT_EQ(header["version"], 2);
  EXPECT_GT(header["width"].get<int>(), 0);
  EXPECT_THAT(header["command"].get<std::string>(), HasSubstr("concur demo lock"));
  double last = 0;
  int events = 0;
  while (std::getline(cast, line)) {
    auto e = nlohmann::json::parse(line);
    ASSERT_EQ(e.size(), 3u);
    EXPECT_GE(e[0].get<double>(), last);
    last = e[0].get<double>();
    EXPECT_EQ(e[1], "o");
    ++events;
  }
  EXPECT_GE(events, 10);
  EXPECT_THAT(slurp(path), HasSubstr("End\\r\\n"));
}

TEST(InstructorViewTest, ThreadColoursOnlyWhenAsked) {
  CliResult plain = semaphore_with({});
  EXPECT_THAT(plain.out, Not(HasSubstr("\x1b[")));
  CliResult coloured = run_cli({"demo", "semaphore", "--deterministic", "--seed", "1", "--color", "always"});
  ASSERT_EQ(coloured.code, 0);
  EXPECT_THAT(coloured.out, HasSubstr("\x1b[36m2019-01-27 19:21:19,000 Thread-1 "));  // Thread-1's colour
  EXPECT_THAT(coloured.out, HasSubstr("\x1b[33m2019-01-27 19:21:22,000 Thread-2 "));  // another for Thread-2
}

TEST(InstructorViewTest, ViewsCannotBeAskedOfACensus) {
  for (const char* view : {"--narrate", "--timeline"}) {
    CliResult r = run_cli({"demo", "race", "--runs", "2", view});
    EXPECT_EQ(r.code, 2) << view;
    EXPECT_THAT(r.err, HasSubstr("--runs")) << view;
  }
}

}  // namespace

// The trace directories child processes write into, left in temporary directory `root`.
std::set<std::string> child_trace_dirs(const std::string& root) {
  std::set<std::string> dirs;
  for (const auto& entry : fs::directory_iterator(root))
    if (entry.path().filename().string().rfind("concur-trace-", 0) == 0) dirs.insert(entry.path().string());
  return dirs;
}

// The children's event folder goes into $TMPDIR: here the test's own, which no other test
// (ctest -j) writes into.
TEST(InstructorViewTest, TraceHasOneProcessTrackPerChildWithItsOwnEvents) {
  TempDir dir{"instructor"}, tmp{"instructor"};
  // The real binary: a spawned child runs a target only the binary registers.
  Ran r = run_binary({"demo", "pipe", "--variant", "sender", "--time-scale", "0.02", "--trace", dir.file("run.json")},
                     {.env = {"TMPDIR=" + tmp.path()}});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(slurp(dir.file("run.json")));
  std::map<long, std::string> processes;  // pid -> its track's name
  std::map<long, int> slices;             // pid -> its X events
  for (const auto& e : doc.at("traceEvents")) {
    if (e.at("name") == "process_name") processes[e.at("pid").get<long>()] = e.at("args").at("name");
    if (e.at("ph") == "X") ++slices[e.at("pid").get<long>()];
  }
  std::set<std::string> names;
  for (const auto& [pid, name] : processes) names.insert(name);
  EXPECT_EQ(names, (std::set<std::string>{"concur demo pipe", "Process-1", "Process-2"}));
  for (const auto& [pid, name] : processes) EXPECT_GT(slices[pid], 0) << name << " has no slice of its own";
  EXPECT_TRUE(child_trace_dirs(tmp.file("")).empty()) << "the children's record directory was left behind";
}

// A traced run's folder left by a run that died (SIGKILL) is removed by the next traced run;
// one whose run still lives, or someone else's name, is not.
TEST(InstructorViewTest, ATracedRunRemovesTheFolderOfADeadTracedRun) {
  TempDir dir{"instructor"}, tmp{"instructor"};
  fs::create_directory(tmp.file("concur-trace-999999999-abcdef"));  // no such pid
  fs::create_directory(tmp.file("concur-trace-1-abcdef"));          // init: alive
  fs::create_directory(tmp.file("concur-other"));
  Ran r = run_binary({"demo", "fork", "--fast", "--trace", dir.file("run.json")}, {.env = {"TMPDIR=" + tmp.path()}});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(tmp.file("concur-trace-999999999-abcdef")));
  EXPECT_TRUE(fs::exists(tmp.file("concur-trace-1-abcdef")));
  EXPECT_TRUE(fs::exists(tmp.file("concur-other")));
}

TEST(InstructorViewTest, TimelineHasARowPerChildProcessAndTheJoinWait) {
  Ran r = run_binary({"demo", "spawn", "--variant", "workers", "--time-scale", "0.02", "--color", "never", "--timeline"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* row : {"\nMainThread |", "\nProcess-1  |", "\nProcess-2  |", "\nProcess-3  |", "\nProcess-4  |"})
    EXPECT_THAT(r.out, HasSubstr(row));
}

TEST(InstructorViewTest, TimelineHasARowPerAsyncTaskBesideTheLoopsThread) {
  CliResult r = run_cli({"demo", "async", "--variant", "coffee", "--deterministic", "--seed", "1", "--color", "never",
                         "--timeline"});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* row : {"\nMainThread |", "\nTask-1     |", "\nTask-2     |", "\nTask-3     |"})
    EXPECT_THAT(r.out, HasSubstr(row)) << r.out;
}

TEST(InstructorViewTest, TraceHasATrackPerAsyncTaskWithItsSleeps) {
  TempDir dir{"instructor"};
  CliResult r = run_cli({"demo", "async", "--variant", "coffee", "--deterministic", "--seed", "1", "--trace",
                         dir.file("run.json")});
  ASSERT_EQ(r.code, 0) << r.err;
  nlohmann::json doc = nlohmann::json::parse(slurp(dir.file("run.json")));
  std::map<long, std::string> tracks;  // tid -> name
  for (const auto& e : doc.at("traceEvents"))
    if (e.at("name") == "thread_name") tracks[e.at("tid").get<long>()] = e.at("args").at("name");
  std::map<std::string, int> sleeps;  // track -> its sleep slices
  for (const auto& e : doc.at("traceEvents"))
    if (e.at("ph") == "X" && e.at("name") == "sleep") ++sleeps[tracks[e.at("tid").get<long>()]];
  // order_async: Task-1 gathers Task-2 (coffee, one sleep) and Task-3 (pastry, one sleep).
  EXPECT_EQ(sleeps["Task-2"], 1);
  EXPECT_EQ(sleeps["Task-3"], 1);
  // MainThread: order_sync's two time.sleep calls, then the loop's own sleeps while no task is ready.
  EXPECT_GE(sleeps["MainThread"], 2);
}
