#include "cli/run_demo.h"

#include <fmt/color.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <new>
#include <optional>
#include <system_error>
#include <thread>

#include "cli/app.h"
#include "cli/live.h"
#include "cli/terminal.h"
#include "cli/timeline.h"
#include "cli/trace_file.h"
#include "core/concur.h"
#include "core/plumbing_thread.h"
#include "core/run.h"
#include "core/trace.h"
#include "core/trace_children.h"

namespace concur::cli {

namespace {

// Stops the run if it is still going after `seconds`; ends the process if the demo then
// ignores the stop for several seconds (a thread in a loop that never waits).
class Watchdog {
 public:
  // Returns once the thread runs (plumbing_thread.h: a demo forks right after).
  Watchdog(double seconds, std::ostream& err) : err_(err) {
    thread_ = start_plumbing_thread([this, seconds] {
      std::unique_lock lk(mutex_);
      if (cv_.wait_for(lk, std::chrono::duration<double>(seconds), [&] { return done_; })) return;
      runtime().cancel(StopReason::kTimeout);
      if (cv_.wait_for(lk, std::chrono::seconds(5), [&] { return done_; })) return;
      err_ << "concur: watchdog: the demo did not stop within 5 s of being told to; exiting\n";
      err_.flush();
      restore_terminal_now();  // --live's panel: no destructor runs after _exit
      _exit(kExitWatchdog);
    });
  }
  ~Watchdog() {
    {
      std::lock_guard lk(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::ostream& err_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// Waits up to 200 ms for the signal thread to act on a SIGINT or SIGTERM that has arrived.
void wait_for_pending_stop() {
  sigset_t pending;
  sigpending(&pending);
  if (!sigismember(&pending, SIGINT) && !sigismember(&pending, SIGTERM) && !sigismember(&pending, SIGHUP) &&
      !sigismember(&pending, SIGQUIT)) {
    // Perhaps already taken by the signal thread, which is about to stop the run.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return;
  }
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (!runtime().cancelled() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

}  // namespace

int run_demo(const demos::Demo& demo, const DemoSettings& settings, std::ostream& out, std::ostream& err,
             demos::Check* check) {
  RunOptions ro = settings.run;
  ro.watch_stuck = true;  // a run stuck across its processes is reported (wait_table.h)
  begin_run(ro, out, err);
  // --live: the panel takes the bottom of the terminal before the first line, and is left
  // printed below the output however the run ends (its destructor, after the check line)
  std::optional<LiveView> live;
  if (settings.live) {
    std::string title = "concur demo " + demo.name;
    if (demo.variants.size() > 1) title += " --variant " + settings.context.variant;
    // The run's length, where the demo knows it: an option that sets its lecture seconds
    double length = 0;
    for (const auto& o : demo.int_options)
      if (o.lecture_length && (o.variants.empty() || std::ranges::count(o.variants, settings.context.variant) > 0))
        length = static_cast<double>(settings.context.ints.at(o.name));
    live.emplace(LiveView::Options{.title = title,
                                   .deterministic = settings.run.deterministic,
                                   .time_scale = settings.run.time_scale,
                                   .hide_cursor = !settings.step,
                                   .length = length});
  }
  auto styled = [&](const std::string& text, fmt::text_style style) {
    return settings.run.color ? fmt::format(style, "{}", text) : text;
  };
  if (!settings.run.quiet) {
    const std::string* watch = &demo.watch;
    for (const auto& v : demo.variants)
      if (v.name == settings.context.variant && !v.watch.empty()) watch = &v.watch;
    for (const auto& f : demo.flag_options)
      if (settings.context.flags.count(f.name) && settings.context.flags.at(f.name) && !f.watch.empty())
        watch = &f.watch;
    print(styled("Watch: " + *watch + settings.fast_note, fmt::emphasis::bold));
  }

  demos::Check result{false, "the demo did not finish"};
  bool failed_with_error = false;
  bool tracing = settings.narrate || settings.timeline || settings.live || !settings.trace.empty();
  if (tracing) {
    trace::start(settings.narrate);
    trace::start_children(settings.narrate, settings.live);
  }
  try {
    Watchdog watchdog(settings.timeout, err);
    try {
      result = demo.variant(settings.context.variant).run(settings.context);
    } catch (const ThreadExit&) {
      // The run was stopped (watchdog or signal); reported below.
    } catch (const PyError& e) {
      failed_with_error = true;
      err << "concur: " << demo.name << ": " << e.type() << (e.what()[0] ? ": " : "") << e.what() << "\n";
    } catch (const std::bad_alloc&) {
      failed_with_error = true;  // out of memory (ulimit -v): Python's MemoryError
      err << "concur: " << demo.name << ": MemoryError\n";
    } catch (const std::system_error& e) {
      failed_with_error = true;  // a system call failed outside the core's own errors (a thread)
      err << "concur: " << demo.name << ": OSError: [Errno " << e.code().value() << "] " << e.code().message() << "\n";
    } catch (const std::exception& e) {
      // Not a Python error: a bug in the demo. One line and exit 1, not std::terminate.
      failed_with_error = true;
      err << "concur: " << demo.name << ": internal error: " << e.what() << "\n";
    }
  } catch (const std::system_error& e) {
    // No thread for the watchdog (EAGAIN: a process limit): nothing ran.
    failed_with_error = true;
    err << "concur: can't start new thread: " << e.code().message() << "\n";
  }
  double lecture_end = scheduler().elapsed();
  std::vector<trace::Event> events = tracing ? trace::stop() : std::vector<trace::Event>{};
  // The panel reads the run's clock and the children's live files: before they go
  if (live) live->stop();
  std::vector<trace::ProcessTrace> children = trace::children();
  end_run();
  if (check) *check = result;
  // Ctrl-C reaches the whole process group: a child may die of it and fail the demo before
  // the signal thread (main.cpp) has stopped the run. A failure with SIGINT or SIGTERM
  // still pending is that interruption, not a failed check.
  if ((failed_with_error || !result.held) && !runtime().cancelled()) wait_for_pending_stop();
  // Standard output failed (its reader left, the disk is full): the run was stopped, and the
  // program's exit says why (main.cpp); nothing more is written to it.
  if (runtime().output_error() != 0) return kExitCheckFailed;

  if (StopReason why = runtime().cancel_reason(); why != StopReason::kNone) {
    if (why == StopReason::kTimeout)
      err << fmt::format("concur: watchdog: '{}' was still running after {:g} s and was stopped\n", demo.name,
                         settings.timeout);
    else
      err << "concur: " << stop_word(why) << "\n";
    return exit_code(why);
  }
  // The instructor's views of the run: the trace file, then the chart under the output
  bool trace_failed = false;
  if (!settings.trace.empty()) {
    try {
      write_trace(events, children, settings.trace, "concur demo " + demo.name, os::getpid());
    } catch (const std::exception& e) {
      err << "concur: --trace: " << e.what() << "\n";
      trace_failed = true;
    }
  }
  if (settings.timeline) {
    std::lock_guard lk(runtime().out_mutex());
    out << "\n" << render_timeline(events, children, lecture_end, terminal_size().first, settings.run.color);
    out.flush();
  }
  if (failed_with_error || trace_failed) return kExitCheckFailed;
  if (!settings.run.quiet) {
    if (result.held)
      print(styled("check: ok - ", fmt::fg(fmt::terminal_color::green)) + result.message);
    else
      print(styled("check: FAILED - ", fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold) + result.message);
  }
  return result.held ? kExitOk : kExitCheckFailed;
}
}  // namespace concur::cli
