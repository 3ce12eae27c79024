// The page-fetching variants: `async --variant fetch` (001 asyncio and threading examples,
// 004's page-fetch timing) and `pool --variant fetch` (004's load_url with as_completed),
// both against the loopback HTTP server, in the shape of the lecture's printed output.
#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "cli_fixture.h"

using namespace concur::testing;
using ::testing::ContainsRegex;
using ::testing::UnorderedElementsAre;

namespace {

const std::string kLocal = R"(http://127\.0\.0\.1:\d+)";
const std::regex kFetching("^\tFetching " + kLocal + R"((/\S+) : Thread Name: (\S+)$)");
const std::regex kFetched("^\tFetched " + kLocal + R"((/\S+) : Thread Name: (\S+)$)");
const std::regex kDownloaded("^Downloaded " + kLocal + R"((/\S+)$)");
const std::regex kPageTime(R"(^Page Fetching Time : (\d+\.\d+(?:e-?\d+)?) Seconds$)");
const std::regex kTotal(R"(^Total time: (\d+\.\d+(?:e-?\d+)?) seconds$)");
const std::regex kPageBytes("^'" + kLocal + R"((/\S+)' page is (\d+) bytes$)");
const std::regex kException("^'" + kLocal + R"((/\S+)' generated an exception: (.*)$)");

// The fetch_url lines' paths, or thread names (capture 2), in output order.
std::vector<std::string> fetch_url_lines(const std::string& out, const std::regex& re, int capture = 1) {
  std::vector<std::string> found;
  std::smatch m;
  for (const auto& line : demo_lines(out))
    if (std::regex_match(line, m, re)) found.push_back(m[capture]);
  return found;
}

// `async --variant fetch` at 0.1, the scale `check` runs it at: the five download threads
// start one after another, each start taking 25-60 ms on a loaded machine, and at a faster
// scale they could take longer than the pages one after another (about 0.75 s real).
concur::testing::CliResult run_async_fetch() {
  return concur::testing::run_cli(
      {"demo", "async", "--variant", "fetch", "--time-scale", "0.1", "--seed", "1", "--color", "never"});
}

}  // namespace

TEST(AsyncFetchDemoTest, EveryFetchUrlLineNamesMainThread) {
  auto r = run_async_fetch();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto started = fetch_url_lines(r.out, kFetching, 2), finished = fetch_url_lines(r.out, kFetched, 2);
  ASSERT_EQ(started.size(), 5u) << r.out;
  ASSERT_EQ(finished.size(), 5u) << r.out;
  for (const auto& name : started) EXPECT_EQ(name, "MainThread");
  for (const auto& name : finished) EXPECT_EQ(name, "MainThread");
  EXPECT_THAT(r.out, ContainsRegex("all 10 fetch_url lines on MainThread \\(0 elsewhere\\)"));
}

TEST(AsyncFetchDemoTest, AllFiveRequestsGoOutBeforeAnyPageComes) {
  auto r = run_async_fetch();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<std::string> kinds;
  for (const auto& line : demo_lines(r.out)) {
    if (std::regex_match(line, kFetching)) kinds.push_back("start");
    if (std::regex_match(line, kFetched)) kinds.push_back("end");
  }
  ASSERT_EQ(kinds.size(), 10u) << r.out;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(kinds[i], "start") << r.out;
  EXPECT_THAT(fetch_url_lines(r.out, kFetching),
              ::testing::ElementsAre("/example.com", "/example.org", "/example.com/file1", "/example.com/file2",
                                     "/www.tutorialspoint.com"));
}

TEST(AsyncFetchDemoTest, GatherGivesThePagesInArgumentOrder) {
  auto r = run_async_fetch();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has_line(r.out, R"(\[len\(r\) for r in results\] = \[1256, 1256, 20480, 10240, 94820\])")) << r.out;
}

TEST(AsyncFetchDemoTest, EachThreadPrintsDownloadedForItsUrl) {
  auto r = run_async_fetch();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(captures(r.out, kDownloaded), UnorderedElementsAre("/example.com", "/example.org", "/example.com/file1",
                                                                 "/example.com/file2", "/www.tutorialspoint.com"));
  EXPECT_THAT(r.out, ContainsRegex("5 Downloaded lines from 5 threads of their own"));
}

TEST(AsyncFetchDemoTest, OneAfterAnotherTimesEachPageLikeTheTutorial) {
  auto r = run_async_fetch();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto times = captures(r.out, kPageTime);
  ASSERT_EQ(times.size(), 5u) << r.out;
  for (const auto& t : times) EXPECT_GE(std::stod(t), 0.6 - 1e-6) << t;  // the quickest page's latency
}

TEST(AsyncFetchDemoTest, ConcurrentTotalsAreTheSlowestPageAndTheSequentialOneTheSum) {
  auto r = run_async_fetch();
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto totals = captures(r.out, kTotal);
  ASSERT_EQ(totals.size(), 3u) << r.out;
  double asyncio = std::stod(totals[0]), threads = std::stod(totals[1]), sequential = std::stod(totals[2]);
  EXPECT_GE(asyncio, 1.2 - 1e-6);  // the slowest page
  EXPECT_LT(asyncio, 4.7);         // the sum of the five
  EXPECT_GE(threads, 1.2 - 1e-6);
  EXPECT_LT(threads, 4.7);
  EXPECT_GE(sequential, 4.7 - 1e-6);
  EXPECT_THAT(r.out, ContainsRegex("check: ok - asyncio .* pages intact 5/5/5 of 5"));
}

TEST(PoolFetchDemoTest, EachPageReportsTheLecturesSize) {
  auto r = run_demo("pool", "fetch");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<std::string> pages;
  std::smatch m;
  for (const auto& line : demo_lines(r.out))
    if (std::regex_match(line, m, kPageBytes)) pages.push_back(m[1].str() + " " + m[2].str());
  EXPECT_THAT(pages, UnorderedElementsAre("/www.foxnews.com/ 229313", "/www.cnn.com/ 168933",
                                          "/europe.wsj.com/ 938109", "/www.bbc.co.uk/ 283893"));
}

TEST(PoolFetchDemoTest, MadeUpDomainGeneratedAnUrlopenError) {
  auto r = run_demo("pool", "fetch");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::vector<std::string> failures;
  std::smatch m;
  for (const auto& line : demo_lines(r.out))
    if (std::regex_match(line, m, kException)) failures.push_back(m[1].str() + " " + m[2].str());
  EXPECT_THAT(failures, ::testing::ElementsAre(
                            "/some-made-up-domain.com/ <urlopen error [Errno 111] Connection refused>"));
  EXPECT_EQ(demo_lines(r.out).size(), 5u) << r.out;  // one line per URL, nothing else
}

TEST(PoolFetchDemoTest, FuturesResolveOnceAndComeOutInCompletionOrder) {
  auto r = run_demo("pool", "fetch");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, ContainsRegex("check: ok - 5/5 futures resolved once and came out of as_completed once, in "
                                   "completion order \\(0 out of order\\); 4/4 pages exactly as served; the "
                                   "made-up domain raised URLError"));
}
