// The threadinfo demo: Python's thread names, OS ids, and the live count falling back to 1.
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::HasSubstr;

namespace {

}  // namespace

TEST(ThreadinfoDemoTest, CurrentVariantPrintsEachThreadsNameTwiceBetweenMainsTwoLines) {
  auto r = run_demo("threadinfo", "current");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines.front(), "Main thread : MainThread started.");
  EXPECT_EQ(lines.back(), "Main thread : MainThread finished.");
  auto names = captures(r.out, std::regex(R"(^Current Thread: (Thread-\d \(task\)) is running\.$)"));
  std::multiset<std::string> counted(names.begin(), names.end());
  EXPECT_EQ(counted.count("Thread-1 (task)"), 2u) << r.out;
  EXPECT_EQ(counted.count("Thread-2 (task)"), 2u) << r.out;
  EXPECT_THAT(r.out, HasSubstr("check: ok - current_thread().name was each thread's own name; 3 names unique"));
}

TEST(ThreadinfoDemoTest, ActiveVariantCountsAfterEachStartAndListsOnlyMainThreadAtTheEnd) {
  auto r = run_demo("threadinfo", "active");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto names = captures(r.out, std::regex(R"(^Current Thread : (Thread-\d \(task\)) is running\.$)"));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            (std::set<std::string>{"Thread-1 (task)", "Thread-2 (task)", "Thread-3 (task)", "Thread-4 (task)",
                                   "Thread-5 (task)"}));
  auto counts = captures(r.out, std::regex(R"(^Active Thread Count: (\d+)$)"));
  ASSERT_EQ(counts.size(), 6u) << r.out;
  for (const auto& c : counts) EXPECT_TRUE(std::stoi(c) >= 1 && std::stoi(c) <= 6) << c;
  EXPECT_EQ(counts.back(), "1");
  auto lines = demo_lines(r.out);
  EXPECT_EQ(lines.back(), "Active Thread List: MainThread");
  EXPECT_EQ(captures(r.out, std::regex(R"(^Active Thread List: (.*)$)")).size(), 1u);
  EXPECT_THAT(r.out, HasSubstr("\n\nActive Thread Count: "));  // print("\nActive Thread Count: ...")
  EXPECT_THAT(r.out, HasSubstr("active_count() back to 1"));
}

TEST(ThreadinfoDemoTest, IdentVariantShowsFiveDistinctIdsEachRunningThenTerminated) {
  auto r = run_demo("threadinfo", "ident");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = demo_lines(r.out);
  ASSERT_EQ(lines.size(), 12u) << r.out;
  EXPECT_EQ(lines.front(), "Main thread started.");
  EXPECT_EQ(lines.back(), "Main thread finished.");
  auto running = captures(r.out, std::regex(R"(^Thread (\d+) is running\.$)"));
  auto terminated = captures(r.out, std::regex(R"(^Thread (\d+) is terminated\.$)"));
  std::set<std::string> ids(running.begin(), running.end());
  EXPECT_EQ(ids.size(), 5u) << r.out;
  EXPECT_EQ(std::set<std::string>(terminated.begin(), terminated.end()), ids);
  EXPECT_THAT(r.out, HasSubstr("check: ok - each thread had the same id at its start and at its end"));
}

TEST(ThreadinfoDemoTest, StartVariantPrintsEnumerateAsPythonsReprAfterEachStart) {
  auto r = run_demo("threadinfo", "start");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  const std::regex listing(
      R"(^Active Threads: \[<_MainThread\(MainThread, started \d+\)>(, <Thread\(Thread-[1-4], started \d+\)>)*\]$)");
  int listings = 0;
  for (const auto& line : lines_of(r.out))
    if (line.starts_with("Active Threads:")) {
      EXPECT_TRUE(std::regex_match(line, listing)) << line;
      ++listings;
    }
  EXPECT_EQ(listings, 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_THAT(r.out, HasSubstr("Execution of Thread " + std::to_string(i) + " started\n\n"));
    EXPECT_THAT(r.out, HasSubstr("Execution of Thread " + std::to_string(i) + " finished\n"));
  }
  EXPECT_THAT(r.out, HasSubstr("MainThread first; 5 names unique"));
}

TEST(ThreadinfoDemoTest, EveryVariantEndsWithActiveCountBackToOneOverSeeds) {
  for (const char* variant : {"current", "active", "ident", "start"})
    for (const char* seed : {"1", "2", "3"}) {
      auto r = run_demo("threadinfo", variant, {}, seed);
      EXPECT_EQ(r.code, 0) << variant << " seed " << seed << "\n" << r.out << r.err;
      EXPECT_THAT(r.out, HasSubstr("active_count() back to 1")) << variant;
    }
}
