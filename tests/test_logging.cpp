// Lecture logging (PYTHON_SEMANTICS.md 34): the lecture's Python format gives exactly the
// line Python's logging prints, `YYYY-MM-DD HH:MM:SS,mmm` on the lecture clock, names and
// levels padded to 17 and 8 on the right and never truncated.
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core_fixture.h"
#include "text_lines.h"

namespace logging = concur::logging;
using concur::Thread;
using namespace concur::testing;
using ::testing::MatchesRegex;

namespace {
const std::string kLectureFormat = "%(asctime)s %(threadName)-17s %(levelname)-8s %(message)s";
// `2019-01-27 19:21:19,354 ` as a regex.
const std::string kAsctime = R"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2},[0-9]{3})";

// Milliseconds since midnight of a line's asctime.
long asctime_ms(const std::string& line) {
  std::smatch m;
  std::regex_search(line, m, std::regex(R"(([0-9]{2}):([0-9]{2}):([0-9]{2}),([0-9]{3}))"));
  return ((std::stol(m[1]) * 60 + std::stol(m[2])) * 60 + std::stol(m[3])) * 1000 + std::stol(m[4]);
}
}  // namespace

class LoggingTest : public concur::testing::CoreTest {};

TEST_F(LoggingTest, TheLecturesFormatTranslatesToAnSpdlogPattern) {
  EXPECT_EQ(logging::to_spdlog_pattern(kLectureFormat), "%Q %-17N %-8V %v");
  EXPECT_EQ(logging::to_spdlog_pattern("%(threadName)17s: %(message)s"), "%17N: %v");
  EXPECT_EQ(logging::to_spdlog_pattern("[%(process)d %(thread)d %(name)s] %(message)s"), "[%P %K %n] %v");
}

TEST_F(LoggingTest, AnUnknownFieldRaisesValueError) {
  EXPECT_EQ(py_error([] { logging::to_spdlog_pattern("%(funcName)s %(message)s"); }),
            "ValueError: Formatting field not found in record: 'funcName'");
}

TEST_F(LoggingTest, TheLecturesFormatGivesPythonsLineShape) {
  logging::basic_config(logging::INFO, kLectureFormat);
  logging::info("Consumer is waiting");
  // Python: "2019-01-27 19:21:19,354 MainThread        INFO     Consumer is waiting"
  EXPECT_THAT(out(), MatchesRegex(kAsctime + " MainThread        INFO     Consumer is waiting\n"));
}

TEST_F(LoggingTest, ThreadNameIsPaddedToSeventeenAndLevelNameToEight) {
  logging::basic_config(logging::DEBUG, kLectureFormat);
  Thread t({.target = [] { logging::debug("Producer made {}", 7); }, .name = "Producer"});
  t.start();
  t.join();
  logging::warning("careful");
  logging::error("failed");
  auto lines = lines_of(out());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], MatchesRegex(kAsctime + " Producer          DEBUG    Producer made 7"));
  EXPECT_THAT(lines[1], MatchesRegex(kAsctime + " MainThread        WARNING  careful"));
  EXPECT_THAT(lines[2], MatchesRegex(kAsctime + " MainThread        ERROR    failed"));
  // The message starts at the same column on every line.
  EXPECT_EQ(lines[0].find("Producer made"), lines[1].find("careful"));
}

TEST_F(LoggingTest, ALongThreadNameIsNeverTruncated) {
  logging::basic_config(logging::INFO, kLectureFormat);
  Thread t({.target = [] { logging::info("Producer is ready"); }, .target_name = "producer"});
  t.start();
  t.join();
  // 19 characters: wider than 17, so one space follows, as in Python.
  EXPECT_THAT(out(), MatchesRegex(kAsctime + " Thread-1 \\(producer\\) INFO     Producer is ready\n"));
}

TEST_F(LoggingTest, AMinusWidthPadsOnTheRightAndAPlainWidthOnTheLeft) {
  logging::basic_config(logging::INFO, "%(threadName)12s|%(levelname)-6s|%(message)s");
  logging::info("x");
  EXPECT_EQ(out(), "  MainThread|INFO  |x\n");
}

TEST_F(LoggingTest, MessagesBelowTheLevelAreNotPrinted) {
  logging::basic_config(logging::INFO, "%(levelname)s %(message)s");
  logging::debug("hidden");
  logging::info("shown");
  EXPECT_EQ(out(), "INFO shown\n");
}

TEST_F(LoggingTest, AsctimeHasACommaAndThreeDigitMilliseconds) {
  logging::basic_config(logging::INFO, "%(asctime)s");
  logging::info("x");
  EXPECT_THAT(out(), MatchesRegex(kAsctime + "\n"));
}

TEST_F(LoggingTest, AsctimeFollowsTheLectureClock) {
  logging::basic_config(logging::INFO, "%(asctime)s %(message)s");
  logging::info("before");
  concur::time::sleep(2.5);  // 2.5 ms real at this scale; 2.5 s on the lecture clock
  logging::info("after");
  auto lines = lines_of(out());
  ASSERT_EQ(lines.size(), 2u);
  long elapsed_ms = (asctime_ms(lines[1]) - asctime_ms(lines[0]) + 86'400'000) % 86'400'000;
  EXPECT_GE(elapsed_ms, 2500 - 1);  // truncation of each stamp may lose under a millisecond
  EXPECT_LT(elapsed_ms, 600'000);
}

TEST_F(LoggingTest, ThreadIdentAndLoggerNameFieldsPrintPythonsValues) {
  logging::basic_config(logging::INFO, "%(name)s %(thread)d %(message)s");
  logging::info("x");
  EXPECT_EQ(out(), "root " + std::to_string(concur::get_ident()) + " x\n");
}
