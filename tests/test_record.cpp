// --record FILE.cast: a Recorder (src/cli/record.h) passes output through unchanged and
// saves an asciicast v2 file that is complete or absent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/record.h"
#include "cli/terminal.h"
#include "cli/usage_error.h"
#include "cli_fixture.h"

namespace {

namespace fs = std::filesystem;
using concur::cli::Recorder;
using namespace concur::testing;
using nlohmann::json;

// A fresh directory under the system's temporary directory, removed after the test.
class RecordTest : public ::testing::Test {
 protected:
  // The saved file's lines, each parsed as JSON.
  static std::vector<json> parse_lines(const fs::path& path) {
    std::ifstream in(path);
    std::vector<json> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
    return lines;
  }

  TempDir dir_{"record"};
};

// Writes two lines the way concur::print does, and a partial line flushed at the end.
void write_sample(std::ostream& out) {
  out << "my_func called by thread N°0" << '\n';
  out.flush();
  out << "my_func called by thread N°1" << '\n';
  out.flush();
  out << "no newline";
  out.flush();
}

TEST_F(RecordTest, WritesPassThroughUnchanged) {
  std::ostringstream target;
  Recorder recorder(target, "concur demo threads --fast", 80, 24);
  write_sample(recorder.stream());
  EXPECT_EQ(target.str(), "my_func called by thread N°0\nmy_func called by thread N°1\nno newline");
}

TEST_F(RecordTest, SavedFileHasAnAsciicastV2HeaderThenOutputEvents) {
  std::ostringstream target;
  Recorder recorder(target, "concur demo threads --fast", 100, 30);
  write_sample(recorder.stream());
  recorder.save(dir_.file("run.cast"));

  std::vector<json> lines = parse_lines(dir_.file("run.cast"));
  ASSERT_EQ(lines.size(), 4u);
  const json& header = lines[0];
  EXPECT_EQ(header.at("version"), 2);
  EXPECT_EQ(header.at("width"), 100);
  EXPECT_EQ(header.at("height"), 30);
  EXPECT_EQ(header.at("command"), "concur demo threads --fast");
  EXPECT_TRUE(header.at("timestamp").is_number_integer());
  EXPECT_TRUE(header.at("env").is_object());
  std::string text;
  double previous = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const json& event = lines[i];
    ASSERT_TRUE(event.is_array() && event.size() == 3) << event.dump();
    ASSERT_TRUE(event[0].is_number() && event[1] == "o" && event[2].is_string()) << event.dump();
    EXPECT_GE(event[0].get<double>(), previous);
    previous = event[0].get<double>();
    text += event[2].get<std::string>();
  }
  EXPECT_EQ(lines[1][2], "my_func called by thread N°0\r\n");
  EXPECT_EQ(text, "my_func called by thread N°0\r\nmy_func called by thread N°1\r\nno newline");
}

TEST_F(RecordTest, LoneNewlinesBecomeCarriageReturnNewlineButCrLfStaysAsIs) {
  std::ostringstream target;
  Recorder recorder(target, "concur", 80, 24);
  recorder.stream() << "a\r\nb\n\nc\r" << std::flush << "\n";
  std::string cast = recorder.cast();
  std::string events = cast.substr(cast.find('\n') + 1);
  EXPECT_THAT(events, ::testing::HasSubstr(R"("a\r\nb\r\n\r\n")"));
  EXPECT_THAT(events, ::testing::Not(::testing::HasSubstr(R"(\r\r\n)")));
  EXPECT_EQ(target.str(), "a\r\nb\n\nc\r\n");
}

TEST_F(RecordTest, TimesNeverDecreaseWhenThreadsWriteAtOnce) {
  std::ostringstream target, target_err;
  Recorder recorder(target, "concur", 80, 24);
  std::ostream& out = recorder.stream();
  std::ostream& err = recorder.tee(target_err);
  std::thread a([&] { for (int i = 0; i < 200; ++i) out << "out " << i << '\n'; });
  std::thread b([&] { for (int i = 0; i < 200; ++i) err << "err " << i << '\n' << std::flush; });
  a.join();
  b.join();
  recorder.save(dir_.file("run.cast"));
  std::vector<json> lines = parse_lines(dir_.file("run.cast"));
  ASSERT_EQ(lines.size(), 401u);
  for (std::size_t i = 2; i < lines.size(); ++i) EXPECT_LE(lines[i - 1][0].get<double>(), lines[i][0].get<double>());
}

TEST_F(RecordTest, SaveLeavesNoTemporaryFileAndReplacesAnOldRecording) {
  std::ofstream(dir_.file("run.cast")) << "old";
  std::ostringstream target;
  Recorder recorder(target, "concur", 80, 24);
  recorder.stream() << "line\n";
  recorder.save(dir_.file("run.cast"));
  EXPECT_THAT(dir_.entries(), ::testing::ElementsAre("run.cast"));
  EXPECT_EQ(parse_lines(dir_.file("run.cast")).size(), 2u);
}

TEST_F(RecordTest, SaveIntoAMissingDirectoryThrowsAndCreatesNothing) {
  std::ostringstream target;
  Recorder recorder(target, "concur", 80, 24);
  recorder.stream() << "line\n";
  EXPECT_THROW(recorder.save(dir_.file("missing/run.cast")), std::runtime_error);
  EXPECT_TRUE(dir_.entries().empty());
}

TEST_F(RecordTest, CheckRecordPathRejectsADirectoryAndAMissingDirectory) {
  using concur::cli::check_record_path;
  EXPECT_THROW(check_record_path(dir_.path()), concur::cli::UsageError);
  try {
    check_record_path(dir_.file("missing/run.cast"));
    ADD_FAILURE() << "a missing directory was accepted";
  } catch (const concur::cli::UsageError& e) {
    EXPECT_THAT(e.what(), ::testing::StartsWith("--record: cannot write '"));
  }
  EXPECT_NO_THROW(check_record_path(dir_.file("run.cast")));
  EXPECT_TRUE(dir_.entries().empty());
}

TEST_F(RecordTest, TerminalSizeFallsBackToColumnsAndLinesWithoutATty) {
  if (::isatty(STDOUT_FILENO)) GTEST_SKIP() << "stdout is a terminal";
  std::vector<std::pair<std::string, std::string>> restore;  // the environment as it was
  for (const char* name : {"COLUMNS", "LINES"})
    if (const char* value = std::getenv(name)) restore.emplace_back(name, value);
  ::setenv("COLUMNS", "132", 1);
  ::setenv("LINES", "43", 1);
  EXPECT_EQ(concur::cli::terminal_size(), std::make_pair(132, 43));
  ::unsetenv("COLUMNS");
  ::setenv("LINES", "zero", 1);
  EXPECT_EQ(concur::cli::terminal_size(), std::make_pair(80, 24));
  ::unsetenv("LINES");
  for (const auto& [name, value] : restore) ::setenv(name.c_str(), value.c_str(), 1);
}

}  // namespace
