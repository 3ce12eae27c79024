// `--record FILE.cast`: the run's output as an asciicast v2 recording, playable with
// `asciinema play FILE.cast`, with the real times at which the lines appeared.
//
// The file is a JSON header line ({"version": 2, "width", "height", "timestamp",
// "command", "title", "env"}) then one line per output event, [seconds, "o", "text"].
// Events are whole lines (a line is recorded when its newline is written, a partial line
// when the stream is flushed); the recorded text has "\r\n" where the program wrote a lone
// "\n", as a terminal's tty shows it. Times are seconds since the Recorder was made,
// rounded to microseconds, and never decrease.
//
// The file is complete or absent: save() writes it to a temporary name in the same
// directory, then renames it over the path. Call save() however the run ended (a run
// stopped by Ctrl-C, SIGTERM or the watchdog records what it printed up to the stop).
#pragma once

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace concur::cli {

// Checks, before the demo runs, that `path` could be written: its directory exists and is
// writable, and `path` is not a directory nor a read-only file. Creates nothing. Throws
// UsageError with one line "--record: cannot write 'PATH': <reason>".
void check_record_path(const std::string& path);

// Passes everything written to its streams on to their targets unchanged, and remembers
// each line with the real time it was written. Thread-safe: any threads may write to its
// streams at once (each stream's lines still need one writer at a time to stay whole, as
// the core's output mutex already ensures). Not copyable or movable; outlives its streams'
// users.
class Recorder {
 public:
  // `command` is the header's command and title ("concur demo semaphore --fast");
  // `width` x `height` the terminal's size (values below 1 become 1). The clock starts now.
  Recorder(std::ostream& target, std::string command, int width, int height);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // The recorded stream that writes to `target`. Flushing it flushes `target`.
  std::ostream& stream();

  // Another recorded stream, writing to `other` (e.g. stderr, which a terminal shows
  // interleaved with stdout); its lines go into the same recording. Created once per call.
  std::ostream& tee(std::ostream& other);

  // Writes the recording of everything written so far (unfinished lines included) to
  // `path` atomically. On failure removes its temporary file, leaves `path` as it was, and
  // throws std::runtime_error("cannot write 'PATH': <reason>"). May be called again later.
  void save(const std::string& path) const;

  // The recording as it would be saved now: the header line and the event lines.
  std::string cast() const;

 private:
  class Channel;
  struct Event {
    double seconds;
    std::string text;  // as the terminal shows it ("\r\n")
  };

  // Records `text` written to `channel` now. Called by the channels; thread-safe.
  void write(Channel& channel, const char* text, std::size_t size);
  // Records `channel`'s unfinished line now (a flush). Thread-safe.
  void flush(Channel& channel);
  // Moves `channel`'s pending text up to `end` into an event at time `seconds`. Needs mutex_.
  void emit(Channel& channel, std::size_t end, double seconds);
  double now() const;

  std::string command_;
  int width_, height_;
  long long unix_start_;
  std::chrono::steady_clock::time_point start_;
  mutable std::mutex mutex_;
  std::vector<Event> events_;
  std::list<std::unique_ptr<Channel>> channels_;
  Channel* main_;
};

}  // namespace concur::cli
