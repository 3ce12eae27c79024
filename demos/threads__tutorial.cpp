// threads, part 004 (tutorial "Concurrency in Python"): "<_thread> module", two bare
// threads printing ctime every 2 and 4 s (start-new-thread); and "How to create threads
// using the <threading> module?", the same with a Thread subclass (subclass-ctime). Its
// "Python Program for Various Thread States" (states) is in threads__states.cpp.
#include "demos/threads.h"

namespace concur::demos {

namespace {

// print_time(threadName, delay) for _thread: five ctime lines, `delay` s apart.
void print_time(const std::string& thread_name, double delay) {
  int count = 0;
  while (count < 5) {
    time::sleep(delay);
    count += 1;
    say(fmt::format("{}: {}", thread_name, time::ctime()));
  }
}

// print_time(threadName, delay, counter) for the subclass: `counter` ctime lines.
void print_time(const std::string& thread_name, double delay, int counter) {
  while (counter) {
    time::sleep(delay);
    say(fmt::format("{}: {}", thread_name, time::ctime()));
    counter -= 1;
  }
}

// myThread: a Thread subclass whose constructor takes the extra arguments.
class MyThread : public Thread {
 public:
  MyThread(int thread_id, const std::string& name, double counter)
      : Thread(ThreadArgs{.name = name}), thread_id(thread_id), counter(counter) {}
  int thread_id;
  double counter;

 private:
  void run() override {
    say("Starting " + name());
    print_time(name(), counter, 5);
    say("Exiting " + name());
  }
};

// `n` lines that begin "NAME: " (a ctime follows), for the check.
Expect ctime_lines(const std::string& thread, const std::string& name, int n) {
  return {thread, std::vector<std::string>(n, name + ": "), true};
}

// Empty if the k-th line of `thread` came no earlier than start + k × delay; else why not.
std::string paced(const Transcript& transcript, const std::string& thread, double delay, double start) {
  int k = 0;
  for (const Said& s : transcript.said_by(thread))
    if (s.line.find(": ") != std::string::npos && s.at - start < ++k * delay - 1e-3)
      return fmt::format("{}'s line {} came at {:.2f} s, before {:.2f} s", thread, k, s.at - start, k * delay);
  return "";
}

Check check_start_new_thread(const Transcript& transcript, double start);
Check check_subclass_ctime(const Transcript& transcript, double start);

}  // namespace

Check run_threads_start_new_thread(const Context&) {
  Transcript transcript;
  // _thread.start_new_thread(print_time, ("Thread-1", 2, )) and ("Thread-2", 4, ).
  double start = time::perf_counter();
  std::vector<std::unique_ptr<Thread>> threads;
  threads.push_back(
      std::make_unique<Thread>(ThreadArgs{.target = [] { print_time("Thread-1", 2); }, .target_name = "print_time"}));
  threads.push_back(
      std::make_unique<Thread>(ThreadArgs{.target = [] { print_time("Thread-2", 4); }, .target_name = "print_time"}));
  for (auto& t : threads) t->start();

  // The lecture's main spins in `while 1: pass` until Ctrl-C; here it waits for both threads.
  for (auto& t : threads) t->join();
  return check_start_new_thread(transcript, start);
}

Check run_threads_subclass_ctime(const Context&) {
  Transcript transcript;
  // Create the two threads, start both, wait for both.
  double start = time::perf_counter();
  MyThread thread1(1, "Thread-1", 1);
  MyThread thread2(2, "Thread-2", 2);
  thread1.start();
  thread2.start();
  thread1.join();
  thread2.join();
  say("Exiting Main Thread");
  return check_subclass_ctime(transcript, start);
}

namespace {

// Five lines each, Thread-1's every 2 s and Thread-2's every 4 s, side by side: about 20 s in
// all, not 30. A loaded machine wakes each thread late and stretches both, so what is checked
// is not the total but that Thread-1's lines came between Thread-2's first and last, which
// one thread after the other never does.
Check check_start_new_thread(const Transcript& transcript, double start) {
  for (auto [thread, delay] : {std::pair{"Thread-1 (print_time)", 2.0}, std::pair{"Thread-2 (print_time)", 4.0}})
    if (std::string late = paced(transcript, thread, delay, start); !late.empty()) return {false, late};
  double total = time::perf_counter() - start;
  long between = said_between(transcript, "Thread-1 (print_time)", "Thread-2 (print_time)");
  if (between == 0)
    return {false, fmt::format("the threads took {:.2f} s, one after the other: none of Thread-1's lines came "
                               "between Thread-2's first and last",
                               total)};
  return check_threads(
      transcript,
      {ctime_lines("Thread-1 (print_time)", "Thread-1", 5), ctime_lines("Thread-2 (print_time)", "Thread-2", 5)}, false,
      fmt::format("both threads kept their pace (every 2 s and every 4 s), side by side: {:.2f} s in all (in a row: at "
                  "least 30; {} of Thread-1's 5 lines came between Thread-2's first and last)",
                  total, between));
}

// Starting, five ctime lines (1 s and 2 s apart), Exiting; main's line last.
Check check_subclass_ctime(const Transcript& transcript, double start) {
  for (auto [thread, delay] : {std::pair{"Thread-1", 1.0}, std::pair{"Thread-2", 2.0}})
    if (std::string late = paced(transcript, thread, delay, start); !late.empty()) return {false, late};
  std::vector<Expect> expected;
  for (const char* name : {"Thread-1", "Thread-2"}) {
    Expect e = ctime_lines(name, name, 5);
    e.lines.insert(e.lines.begin(), fmt::format("Starting {}", name));
    e.lines.push_back(fmt::format("Exiting {}", name));
    expected.push_back(e);
  }
  expected.push_back({"MainThread", {"Exiting Main Thread"}});
  return check_threads(transcript, expected, true, "each subclassed thread ran between its Starting and Exiting lines");
}

}  // namespace

}  // namespace concur::demos
