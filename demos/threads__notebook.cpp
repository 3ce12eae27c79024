// threads, part 002 (notebook "Asyncio & Threading"): "Creating Threads with a Class"
// (subclass), the two threads printing numbers and letters (numbers-letters), and the
// "Basic Example" with a thread named Worker Thread beside the main thread (worker).
#include <algorithm>

#include "demos/threads.h"

namespace concur::demos {

namespace {

// MyThread: a Thread subclass; run() names the thread it runs in.
class MyThread : public Thread {
 public:
  using Thread::Thread;

 private:
  void run() override {
    for (int i = 0; i < 5; ++i) {
      say(fmt::format("Thread {}: {}", current_thread_name(), i));
      time::sleep(1);
    }
  }
};

// print_numbers() and print_letters(): two threads working side by side.
void print_numbers() {
  for (int i = 0; i < 10; ++i) {
    time::sleep(2);  // simulate some work
    say(fmt::format("Thread {}: Number: {}", current_thread_name(), i));
  }
}

void print_letters() {
  for (char letter : std::string("ABCDEFGHIJ")) {
    time::sleep(1);  // simulate some work
    say(fmt::format("Thread {}: Letter: {}", current_thread_name(), letter));
  }
}

// print_numbers() of the Basic Example: five numbers, 3 s apart, from Worker Thread.
void print_worker_numbers() {
  for (int i = 0; i < 5; ++i) {
    say(fmt::format("Number: {} : Thread Name: {}", i, current_thread_name()));
    time::sleep(3);
  }
}

Check check_numbers_letters(const Transcript& transcript, double total);
Check check_worker(const Transcript& transcript);

}  // namespace

Check run_threads_subclass(const Context&) {
  Transcript transcript;
  // Create and start the thread, then wait for it to finish.
  MyThread my_thread(ThreadArgs{.name = "MyCustomThread"});
  my_thread.start();
  my_thread.join();
  say("Thread execution completed.");

  // Check: run() ran in the thread named MyCustomThread, and main waited for it.
  return check_threads(
      transcript,
      {{"MyCustomThread", numbered("Thread MyCustomThread: ", 5)}, {"MainThread", {"Thread execution completed."}}},
      true, "the subclass's run() ran in MyCustomThread");
}

Check run_threads_numbers_letters(const Context&) {
  Transcript transcript;
  // Create two threads, start both, wait for both.
  double start = time::perf_counter();
  Thread thread1({.target = print_numbers, .target_name = "print_numbers"});
  Thread thread2({.target = print_letters, .target_name = "print_letters"});
  thread1.start();
  thread2.start();
  thread1.join();
  thread2.join();
  double total = time::perf_counter() - start;
  say("Both threads have finished.");
  return check_numbers_letters(transcript, total);
}

Check run_threads_worker(const Context&) {
  Transcript transcript;
  // Create a thread named 'Worker Thread' and start it.
  Thread my_thread({.target = print_worker_numbers, .name = "Worker Thread"});
  my_thread.start();

  // Main thread continues executing its own work meanwhile.
  say(fmt::format("After spawning other threads Main thread is continue doing its works! : Thread Name: {}",
                  current_thread_name()));
  time::sleep(0);  // change the sleep value, play and learn
  say(fmt::format("Main thread is waiting for other threads to join: my_thread.join() : Thread Name: {}",
                  current_thread_name()));

  // Wait for the thread to finish.
  my_thread.join();
  say(fmt::format("Main thread starts executing because all other threads join main thread : Thread Name: {}",
                  current_thread_name()));
  say(fmt::format("Main Thread finished! : Thread Name: {}", current_thread_name()));
  return check_worker(transcript);
}

namespace {

// Each thread's lines in order, and the two ran side by side: about 20 s in all, not 30. A
// loaded machine wakes each thread late and stretches both, so what is checked is not the
// total but that letters came between the first number and the last, which one thread after
// the other never does.
Check check_numbers_letters(const Transcript& transcript, double total) {
  std::vector<std::string> letters;
  for (char letter : std::string("ABCDEFGHIJ"))
    letters.push_back(fmt::format("Thread Thread-2 (print_letters): Letter: {}", letter));
  long letters_between = said_between(transcript, "Thread-2 (print_letters)", "Thread-1 (print_numbers)");
  if (letters_between == 0)
    return {false, fmt::format("the threads took {:.2f} s, one after the other: no letter came between the first "
                               "number and the last",
                               total)};
  return check_threads(transcript,
                       {{"Thread-1 (print_numbers)", numbered("Thread Thread-1 (print_numbers): Number: ", 10)},
                        {"Thread-2 (print_letters)", letters}, {"MainThread", {"Both threads have finished."}}},
                       true, fmt::format("the two threads ran side by side: {:.2f} s in all (in a row: at least 30; {} "
                                         "of 10 letters came between the first number and the last)",
                                         total, letters_between));
}

// The worker's five numbers all came before main went on past join().
Check check_worker(const Transcript& transcript) {
  std::vector<std::string> numbers;
  for (int i = 0; i < 5; ++i) numbers.push_back(fmt::format("Number: {} : Thread Name: Worker Thread", i));
  std::vector<Said> all = transcript.lines();
  auto resumed =
      std::find_if(all.begin(), all.end(), [](const Said& s) { return s.line.starts_with("Main thread starts"); });
  if (std::any_of(resumed, all.end(), [](const Said& s) { return s.thread == "Worker Thread"; }))
    return {false, "main went on past join() before the worker's last number"};
  return check_threads(
      transcript,
      {{"Worker Thread", numbers},
       {"MainThread",
        {"After spawning other threads Main thread is continue doing its works! : Thread Name: MainThread",
         "Main thread is waiting for other threads to join: my_thread.join() : Thread Name: MainThread",
         "Main thread starts executing because all other threads join main thread : Thread Name: MainThread",
         "Main Thread finished! : Thread Name: MainThread"}}},
      true, "main ran beside Worker Thread, then waited in join() for its 5 numbers");
}

}  // namespace

}  // namespace concur::demos
