#include "core/log.h"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <unistd.h>

#include <ctime>
#include <mutex>
#include <regex>

#include "core/clock.h"
#include "core/errors.h"
#include "core/output.h"
#include "core/runtime.h"

namespace concur::logging {

namespace {

// Writes `text` padded as a Python `%(field)-17s` / `%(field)17s` would (never truncating).
void append_padded(const std::string& text, const spdlog::details::padding_info& pad,
                   spdlog::memory_buf_t& dest) {
  std::size_t fill = pad.enabled() && pad.width_ > text.size() ? pad.width_ - text.size() : 0;
  bool fill_left = pad.side_ == spdlog::details::padding_info::pad_side::left;
  if (fill_left) dest.append(std::string(fill, ' '));
  dest.append(text);
  if (!fill_left) dest.append(std::string(fill, ' '));
}

// %(asctime)s: "2019-01-27 19:21:19,354" on the lecture clock, milliseconds truncated.
class AsctimeFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    auto now = concur::time::now();
    std::time_t secs = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm = concur::time::calendar(secs);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    append_padded(fmt::format("{},{:03d}", buf, static_cast<int>(ms)), padinfo_, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<AsctimeFlag>(); }
};

// %(threadName)s: the calling thread's Python name.
class ThreadNameFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    append_padded(current_thread_state().name, padinfo_, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<ThreadNameFlag>(); }
};

// %(thread)d: the calling thread's ident.
class ThreadIdentFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
    append_padded(std::to_string(current_thread_state().ident), padinfo_, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<ThreadIdentFlag>(); }
};

// %(levelname)s: "INFO", "DEBUG", ... in capitals, as Python prints them.
class LevelNameFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const char* name = "INFO";
    switch (msg.level) {
      case spdlog::level::debug: name = "DEBUG"; break;
      case spdlog::level::warn: name = "WARNING"; break;
      case spdlog::level::err: name = "ERROR"; break;
      default: break;
    }
    append_padded(name, padinfo_, dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<LevelNameFlag>(); }
};

// A sink that formats and writes under the run's output mutex, so that log lines and
// print() lines share one order and timestamps never go backwards down the output.
class OutputSink : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    Runtime& rt = runtime();
    std::lock_guard lk(rt.out_mutex());
    spdlog::memory_buf_t buf;
    formatter_->format(msg, buf);
    std::string_view text(buf.data(), buf.size());
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    rt.write_out(in_thread_colour(text) + '\n');
  }
  void flush_() override {}
};

std::shared_ptr<spdlog::logger> make_logger() {
  auto logger = std::make_shared<spdlog::logger>("root", std::make_shared<OutputSink>());
  logger->set_level(spdlog::level::warn);  // Python's default before basicConfig
  return logger;
}

std::shared_ptr<spdlog::logger>& lecture_logger() {
  static std::shared_ptr<spdlog::logger> logger = make_logger();
  return logger;
}

spdlog::level::level_enum to_spdlog(Level level) {
  if (level <= DEBUG) return spdlog::level::debug;
  if (level <= INFO) return spdlog::level::info;
  if (level <= WARNING) return spdlog::level::warn;
  return spdlog::level::err;
}

}  // namespace

std::string to_spdlog_pattern(const std::string& python_format) {
  static const std::regex field(R"(%\((\w+)\)(-?\d*)[sd])");
  std::string out;
  auto begin = std::sregex_iterator(python_format.begin(), python_format.end(), field);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out += python_format.substr(last, static_cast<std::size_t>(m.position()) - last);
    last = static_cast<std::size_t>(m.position() + m.length());
    std::string name = m[1], pad = m[2];
    char flag;
    if (name == "asctime") flag = 'Q';
    else if (name == "threadName") flag = 'N';
    else if (name == "levelname") flag = 'V';
    else if (name == "message") flag = 'v';
    else if (name == "process") flag = 'P';
    else if (name == "thread") flag = 'K';
    else if (name == "name") flag = 'n';
    else throw ValueError("Formatting field not found in record: '" + name + "'");
    out += '%' + pad + flag;
  }
  out += python_format.substr(last);
  return out;
}

void basic_config(Level level, const std::string& python_format) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<AsctimeFlag>('Q')
      .add_flag<ThreadNameFlag>('N')
      .add_flag<LevelNameFlag>('V')
      .add_flag<ThreadIdentFlag>('K')
      .set_pattern(to_spdlog_pattern(python_format));
  lecture_logger()->set_formatter(std::move(formatter));
  lecture_logger()->set_level(to_spdlog(level));
}

void log(Level level, std::string_view message) {
  if (lecture_logger()->should_log(to_spdlog(level))) scheduler().point("log", message);
  lecture_logger()->log(to_spdlog(level), message);
}

}  // namespace concur::logging
