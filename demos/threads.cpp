// threads: starting, joining and subclassing threads, the first thing every lecture shows.
//
// Thirteen small lecture programs, one variant each. The default is 001 "Executing multiple
// threads": ten threads running my_func, each started and joined inside the loop, so N°0 …
// N°9 come out in order. 003 "Create and Start a Thread" (no-join) and "join() Method – The
// Saviour" (join) show what join() changes; 002 "Creating Threads with a Class" (subclass),
// the numbers-and-letters pair and the "Basic Example" (worker) are in threads__notebook.cpp;
// 004's "<_thread> module", "How to create threads using the <threading> module?" and
// "Python Program for Various Thread States" are in threads__tutorial.cpp; 003's target,
// custom and join-worker examples are in threads__unit.cpp, io-bound in threads__io.cpp.
//
// Each line is printed by the thread that does the thing, when it does it; the closing
// check reads who printed what (threads.h) and verifies every thread said its lines in
// program order and was joined, plus what the variant teaches.
#include "demos/threads.h"

#include <algorithm>

namespace concur::demos {

namespace {

// my_func(thread_number): one line, from the thread itself.
void my_func(int thread_number) { say(fmt::format("my_func called by thread N°{}", thread_number)); }

Check check_my_func(const Transcript& transcript, int most_alive);

}  // namespace

Check run_threads_my_func(const Context&) {
  Transcript transcript;
  // main(): start ten threads, joining each before starting the next.
  std::vector<std::unique_ptr<Thread>> threads;
  int most_alive = 0;
  for (int i = 0; i < 10; ++i) {
    threads.push_back(std::make_unique<Thread>(ThreadArgs{.target = [i] { my_func(i); }, .target_name = "my_func"}));
    threads.back()->start();
    threads.back()->join();
    most_alive = std::max(most_alive, active_count());  // for the check: no thread outlives its turn
  }
  return check_my_func(transcript, most_alive);
}

namespace {

// Thread N°i (Thread-(i+1) (my_func)) said its line, in turn; never two were alive at once.
Check check_my_func(const Transcript& transcript, int most_alive) {
  std::vector<std::string> in_order = numbered("my_func called by thread N°", 10);
  std::vector<Expect> expected;
  for (int i = 0; i < 10; ++i) expected.push_back({fmt::format("Thread-{} (my_func)", i + 1), {in_order[i]}});
  std::vector<Said> all = transcript.lines();
  for (std::size_t i = 0; i < all.size() && i < in_order.size(); ++i)
    if (all[i].line != in_order[i]) return {false, fmt::format("line {} is '{}', out of order", i + 1, all[i].line)};
  if (most_alive != 1) return {false, fmt::format("{} threads alive after a join, expected 1", most_alive)};
  return check_threads(transcript, expected, false, "N°0 … N°9 in order, each thread joined before the next started");
}

}  // namespace

// The checks every part shares (threads.h).

long said_between(const Transcript& transcript, const std::string& inner, const std::string& outer) {
  std::vector<Said> bounds = transcript.said_by(outer);
  if (bounds.empty()) return 0;
  long between = 0;
  for (const Said& s : transcript.said_by(inner)) between += s.at > bounds.front().at && s.at < bounds.back().at;
  return between;
}

std::vector<std::string> numbered(const std::string& prefix, int n) {
  std::vector<std::string> lines;
  for (int i = 0; i < n; ++i) lines.push_back(prefix + std::to_string(i));
  return lines;
}

Check check_threads(const Transcript& transcript, const std::vector<Expect>& expected, bool main_last,
                    const std::string& lesson) {
  // Each thread said exactly its lines, in the order its code says them.
  int total = 0;
  for (const Expect& e : expected) {
    std::vector<Said> got = transcript.said_by(e.thread);
    for (std::size_t i = 0; i < e.lines.size(); ++i) {
      bool same = i < got.size() && (e.prefix_only ? got[i].line.starts_with(e.lines[i]) : got[i].line == e.lines[i]);
      if (!same)
        return {false, fmt::format("{}'s line {} should be '{}' but is '{}'", e.thread, i + 1, e.lines[i],
                                   i < got.size() ? got[i].line : "(missing)")};
    }
    if (got.size() != e.lines.size())
      return {false, fmt::format("{} said {} lines, expected {}", e.thread, got.size(), e.lines.size())};
    total += static_cast<int>(got.size());
  }
  // MainThread's last line is the run's last line, when its joins promise that.
  if (main_last) {
    std::vector<Said> all = transcript.lines();
    if (all.empty() || all.back().thread != "MainThread")
      return {false, fmt::format("MainThread's last line came before '{}'", all.empty() ? "" : all.back().line)};
  }
  // Every started thread has finished and been joined: only MainThread is left.
  if (int n = active_count(); n != 1) return {false, fmt::format("active_count() is {} at the end, not 1", n)};
  return {true, fmt::format("{}; {} thread{} said {} lines in program order{}, active_count() back to 1", lesson,
                            expected.size(), expected.size() == 1 ? "" : "s", total,
                            main_last ? ", main's last line last" : "")};
}

}  // namespace concur::demos
