#include "cli/record.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <streambuf>

#include "cli/trace_file.h"

namespace concur::cli {

namespace {

using nlohmann::json;

// `text` as a tty shows it: a "\n" not preceded by "\r" becomes "\r\n". `after_cr` carries
// whether the previous text ended in "\r".
std::string terminal_text(const std::string& text, bool& after_cr) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n' && !after_cr) out += '\r';
    out += c;
    after_cr = c == '\r';
  }
  return out;
}

// How many bytes at the end of `text` are an unfinished UTF-8 character (0 if none), so
// that a flush never splits one between two events.
std::size_t unfinished_utf8(const std::string& text) {
  for (std::size_t back = 1; back <= std::min<std::size_t>(3, text.size()); ++back) {
    auto byte = static_cast<unsigned char>(text[text.size() - back]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}

std::string dump(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

// One recorded stream: a streambuf without a buffer, so every write reaches the Recorder
// (and the target) at once.
class Recorder::Channel : public std::streambuf {
 public:
  Channel(Recorder& recorder, std::ostream& target) : recorder_(recorder), target_(target), stream_(this) {}
  std::ostream& stream() { return stream_; }

  std::string pending;     // written, not yet an event (no newline since)
  bool after_cr = false;   // the last recorded byte was '\r'
  double last_write = 0;   // when `pending` was last added to

 protected:
  std::streamsize xsputn(const char* text, std::streamsize size) override {
    target_.write(text, size);
    recorder_.write(*this, text, static_cast<std::size_t>(size));
    return size;
  }
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    char c = traits_type::to_char_type(ch);
    xsputn(&c, 1);
    return ch;
  }
  int sync() override {
    target_.flush();
    recorder_.flush(*this);
    return target_ ? 0 : -1;
  }

 private:
  Recorder& recorder_;
  std::ostream& target_;
  std::ostream stream_;
};

void check_record_path(const std::string& path) { check_trace_path("--record", path); }

Recorder::Recorder(std::ostream& target, std::string command, int width, int height)
    : command_(std::move(command)),
      width_(std::max(1, width)),
      height_(std::max(1, height)),
      unix_start_(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count()),
      start_(std::chrono::steady_clock::now()) {
  channels_.push_back(std::make_unique<Channel>(*this, target));
  main_ = channels_.back().get();
}

Recorder::~Recorder() = default;

std::ostream& Recorder::stream() { return main_->stream(); }

std::ostream& Recorder::tee(std::ostream& other) {
  std::lock_guard lock(mutex_);
  channels_.push_back(std::make_unique<Channel>(*this, other));
  return channels_.back()->stream();
}

double Recorder::now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Recorder::emit(Channel& channel, std::size_t end, double seconds) {
  if (end == 0) return;
  events_.push_back({seconds, terminal_text(channel.pending.substr(0, end), channel.after_cr)});
  channel.pending.erase(0, end);
}

void Recorder::write(Channel& channel, const char* text, std::size_t size) {
  std::lock_guard lock(mutex_);
  channel.last_write = now();
  channel.pending.append(text, size);
  std::size_t newline = channel.pending.rfind('\n');
  if (newline != std::string::npos) emit(channel, newline + 1, channel.last_write);
}

void Recorder::flush(Channel& channel) {
  std::lock_guard lock(mutex_);
  emit(channel, channel.pending.size() - unfinished_utf8(channel.pending), now());
}

std::string Recorder::cast() const {
  nlohmann::ordered_json header = {{"version", 2},          {"width", width_},     {"height", height_},
                                   {"timestamp", unix_start_}, {"command", command_}, {"title", command_},
                                   {"env", json::object()}};
  for (const char* name : {"TERM", "SHELL"})
    if (const char* value = std::getenv(name)) header["env"][name] = value;
  std::string text = header.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  std::vector<Event> events = events_;
  // Unfinished lines last, never before an event already recorded.
  for (const auto& channel : channels_) {
    if (channel->pending.empty()) continue;
    bool after_cr = channel->after_cr;
    double seconds = std::max(channel->last_write, events.empty() ? 0.0 : events.back().seconds);
    events.push_back({seconds, terminal_text(channel->pending, after_cr)});
  }
  // As asciinema writes them: [0.248848, "o", "text"].
  for (const Event& e : events) text += fmt::format("[{:.6f}, \"o\", {}]\n", e.seconds, dump(e.text));
  return text;
}

void Recorder::save(const std::string& path) const { write_file_atomically(path, cast()); }

}  // namespace concur::cli
