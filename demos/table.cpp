// The demo table: every demo, in the lecture's order. `concur list`, `check --all`,
// `explain` and `source` read this one table; nothing registers itself.
#include "demos.h"

namespace concur::demos {

const std::vector<Demo>& table() {
  static const std::vector<Demo> demos = {
      {
          .name = "threads",
          .summary = "start, join and subclass threads",
          .watch = "each thread prints its own lines; join() decides whether main waits for them.",
          .variants =
              {
                  {"my-func", "ten threads, each started and joined in turn: N°0 … N°9 in order"},
                  {"no-join", "main does not join: its last line may come before the thread's"},
                  {"join", "main joins: its last line always comes after the thread's"},
                  {"subclass", "a Thread subclass named MyCustomThread counts to 4"},
                  {"numbers-letters", "two threads print numbers and letters side by side"},
                  {"worker", "a thread named Worker Thread beside the main thread"},
                  {"start-new-thread", "_thread.start_new_thread: two threads print ctime every 2 and 4 s"},
                  {"subclass-ctime", "a Thread subclass prints ctime lines between Starting and Exiting"},
                  {"states", "one thread goes new -> running -> waiting -> dead, each state named"},
                  {"target", "a thread with a target function prints Number: 0 … 4"},
                  {"custom", "a Thread subclass prints Custom Thread: 0 … 4"},
                  {"join-worker", "main waits in join() while the worker works"},
                  {"io-bound", "five I/O-bound tasks of 2 s overlap: about 2 s in all, not 10"},
              },
          .sections =
              {
                  {"001", "Executing multiple threads"},
                  {"003", "Create and Start a Thread"},
                  {"003", "join() Method – The Saviour"},
                  {"002", "Creating Threads with a Class"},
                  {"002", "Basic Example"},
                  {"004", "<_thread> module"},
                  {"004", "How to create threads using the <threading> module?"},
                  {"004", "Python Program for Various Thread States"},
                  {"003", "Example 1: Creating a Thread with a Target Function"},
                  {"003", "Example 2: Subclassing the Thread Class"},
                  {"003", "Joining Threads (join() Method)"},
                  {"003", "Example: Multi-threaded I/O-bound Task"},
              },
          .run = run_threads,
      },
      {
          .name = "lock",
          .summary = "Lock: acquire/release around a critical section",
          .watch = "who holds the lock: coarse holding serialises the threads, fine holding lets them overlap.",
          .variants =
              {
                  {"coarse", "the lock is held across the sleep: running/over alternate, total = sum"},
                  {"fine", "the lock is released before the sleep: all run at once, total = longest"},
                  {"counter", "counters incremented under a lock stay exact"},
                  {"manual", "acquire, try/finally, release by hand: what `with` does for you"},
                  {"file", "two threads read a file one at a time under a lock"},
                  {"safe-set", "a set whose add/remove take a lock, hammered by threads"},
              },
          .sections =
              {
                  {"001", "Introducing the acquire() and release() methods"},
                  {"002", "Using Locks"},
                  {"002", "What is with?"},
                  {"003", "threading.Lock – Avoiding Race Conditions"},
                  {"004", "Sets"},
                  {"004", "Decorator"},
              },
          .run = run_lock,
      },
      {
          .name = "rlock",
          .summary = "RLock: a lock its owner may take again",
          .watch = "add() and remove() take the box's lock, then execute() takes it again inside.",
          .variants =
              {
                  {"rlock", "the lecture's Box with an RLock: nested acquires by the owner work"},
                  {"lock", "the same Box with a plain Lock: the nested acquire deadlocks, reported"},
              },
          .sections = {{"001", "Implementing RLock"}},
          .run = run_rlock,
      },
      {
          .name = "semaphore",
          .summary = "Semaphore: signal between threads, or limit how many run",
          .watch = "the consumer waits until the producer releases; it then logs the producer's item.",
          .variants =
              {
                  {"event", "Semaphore(0) as an event: ten rounds of consumer and producer, logged"},
                  {"limit", "Semaphore(2): three threads, at most two inside at once"},
                  {"workers-4", "Semaphore(2) with four workers"},
                  {"workers-5", "Semaphore(3) with five workers"},
              },
          .sections =
              {
                  {"001", "Implementing semaphore"},
                  {"003", "Semaphore Objects in Threading"},
              },
          .run = run_semaphore,
      },
  };
  return demos;
}

const Demo* find(const std::string& name) {
  for (const Demo& d : table())
    if (d.name == name) return &d;
  return nullptr;
}

}  // namespace concur::demos
