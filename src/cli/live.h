// `--live`: what every thread is doing right now, in a panel under the lecture's lines.
//
// On a terminal, the bottom rows become a status panel and the rows above a scroll region,
// in which the run's lines scroll as they would without --live: the same bytes, since the
// panel is drawn between a save and a restore of the cursor and never moves it. The panel:
//
//   -- concur demo philosophers --variant naive ------------ lecture clock 6.5 s --
//    MainThread  waiting for 1st to finish
//    1st         waiting for fork 2 (held by 2nd), holding fork 1
//    ...
//    ended: Thread-1, Thread-2
//    fork 1 held by 1st (1 waiting);  semaphore 1 = 0 (2 waiting);  queue 1: 3 items [0, 1, 2]
//    Queue: 2 items [17, 42];  pipe: 0 messages
//    deadlock at 6.5 s: 1st waits for fork 2 held by 2nd,
//      2nd waits for fork 3 held by 3rd, ...
//
// one row per thread and asyncio task of this process, each name in its thread's colour
// under the run's colour rule, and one per thread of a child process, however started, from
// the events it writes as they happen (trace_children.h's live_news; a forked child that
// wrote none yet shows as the run's wait table has it); the threads that ended on one line;
// then the shared objects as far as the events tell them (a thread Queue's next items; a
// process Queue's or Pipe's items put or sent and not yet taken, matched across processes),
// then the cycle once one is seen.
//
// It is fed by the tracer's listener (trace.h), with the events --trace records, and drawn
// by a thread of its own (never a demo thread) at most 20 times a second, only when what it
// shows has changed; it follows the terminal's size (COLUMNS x LINES, re-read as it draws,
// so a resize is seen within 50 ms) and cuts every line to the width, never wrapping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace concur::cli {

// Whether --live can draw: standard output is a terminal.
bool live_possible();

// What the panel shows, replayed from the events (live.cpp).
struct LiveModel;

class LiveView {
 public:
  struct Options {
    std::string title;           // "concur demo philosophers --variant naive"
    bool deterministic = false;  // a virtual clock: the header shows the latest event's time
    double time_scale = 1;       // real seconds per lecture second (the header's clock)
    bool hide_cursor = true;     // not under --step, whose prompts want it
    // How many lecture seconds the run lasts, when the demo says (demo.h's lecture_length):
    // the header shows the clock against it ("lecture clock 6.5 s of 30 s (22%)"); 0: unknown.
    double length = 0;
  };

  // Call on the run's main thread after begin_run and before the demo prints: makes itself
  // the tracer's listener (call trace::start after it) and starts the drawing thread. One
  // LiveView at a time.
  explicit LiveView(Options options);
  // Stops drawing, restores the terminal (the scroll region reset, the cursor shown) and
  // leaves the panel's last state printed once below the output. Call stop() first if the
  // run ends before this goes (the drawing thread reads the run's clock).
  ~LiveView();
  LiveView(const LiveView&) = delete;
  LiveView& operator=(const LiveView&) = delete;

  // Stops the drawing thread and the listener, before end_run. Idempotent.
  void stop();

 private:
  void draw_loop();
  // Draws the panel if it changed (or `force`); with the output mutex held.
  void draw(bool force);
  // The lecture clock as the panel shows it: the run's own on a real run (real time since the
  // view began, scaled, from where the clock stood then); the latest event's on a virtual
  // clock, which moves only when a thread acts. With the model's mutex held.
  double clock_now() const;

  Options options_;
  std::unique_ptr<LiveModel> model_;
  std::mutex mutex_;  // stopping_
  std::condition_variable cv_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread drawer_;
  // The terminal as last drawn: its size, the panel's height, the lines shown.
  int columns_ = 0, rows_ = 0, height_ = 0;
  std::vector<std::string> shown_;
  double clock_origin_ = 0;
  std::chrono::steady_clock::time_point clock_start_ = std::chrono::steady_clock::now();
};

// Restores the terminal at once with one write(2) (async-signal-safe), for the ways out that
// skip destructors (the watchdog's _exit): scroll region reset, cursor shown. No-op unless
// a LiveView is drawing.
void restore_terminal_now();

}  // namespace concur::cli
