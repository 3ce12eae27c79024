// Coroutines and an event loop: asyncio's single-threaded concurrency.
//
// Notebook 002 "Example: Making Coffee and Pastry" (`coffee`, the default): first the
// synchronous order, where make_coffee_sync() blocks the thread for 2 s with time.sleep
// and only then make_pastry_sync() blocks it for 3 s (5 s in all); then the asynchronous
// order, where make_coffee_async() and make_pastry_async() become tasks that await
// asyncio.sleep, so while one waits the loop runs the other (3 s in all, the longer wait).
// Every "Making ..." line prints the thread's name: MainThread in both halves, because
// asyncio's concurrency is one thread taking turns, not more threads. The other variants
// (002 "Using Them Together", "Example of Using Futures", 003's asyncio example) live in
// async__await.cpp, and `fetch` in async__fetch.cpp.
//
// The check reads the run's transcript (async.h): the synchronous half took the sum of its
// waits, the asynchronous half less than that sum, with the pastry started before the
// coffee was ready, and every line came from the thread that called the demo.
#include "demos/async.h"

#include <fmt/format.h>

#include "core/aio/future.h"
#include "core/concur.h"

namespace concur::demos {
namespace {

Check check_coffee(const Transcript& transcript, std::size_t async_from, double sync_total, double async_total);

// Synchronous approach
void make_coffee_sync() {
  say(fmt::format("\tMaking coffee... : Thread Name: {}", current_thread_name()));
  time::sleep(2);  // Simulate coffee preparation time
  say("\tCoffee is ready!");
}

void make_pastry_sync() {
  say(fmt::format("\tMaking pastry... : Thread Name: {}", current_thread_name()));
  time::sleep(3);  // Simulate pastry preparation time
  say("\tPastry is ready!");
}

void order_sync() {
  make_coffee_sync();
  make_pastry_sync();
}

// Asynchronous approach using Asyncio
aio::Coro<void> make_coffee_async() {
  say(fmt::format("\tMaking coffee... : Thread Name: {}", current_thread_name()));
  co_await aio::sleep(2);  // Simulate coffee preparation time
  say("\tCoffee is ready!");
}

aio::Coro<void> make_pastry_async() {
  say(fmt::format("\tMaking pastry... : Thread Name: {}", current_thread_name()));
  co_await aio::sleep(3);  // Simulate pastry preparation time
  say("\tPastry is ready!");
}

aio::Coro<void> order_async() {
  std::vector<aio::Task<void>> tasks = {aio::create_task(make_coffee_async()), aio::create_task(make_pastry_async())};
  co_await aio::gather(tasks);
}

}  // namespace

Check run_async_coffee(const Context&) {
  Transcript transcript;
  // Run the synchronous example
  say("Synchronous approach:");
  double start_time = time::time();
  say("Main thread entering order_sync()");
  order_sync();
  say("Main thread exiting order_sync()");
  double sync_total = time::time() - start_time;
  say(fmt::format("Total time: {} seconds", py_float(sync_total)));

  // Run the asynchronous example
  std::size_t async_from = transcript.lines().size();
  say("\nAsynchronous approach:");
  start_time = time::time();
  say("Main thread entering order_async()");
  aio::run(order_async());
  say("Main thread exiting order_async()");
  double async_total = time::time() - start_time;
  say(fmt::format("Total time: {} seconds", py_float(async_total)));

  return check_coffee(transcript, async_from, sync_total, async_total);
}

namespace {

// 2 + 3 s in a row, then the pastry begun before the coffee was ready (the two waits side by
// side: about 3 s), all on the calling thread.
Check check_coffee(const Transcript& transcript, std::size_t async_from, double sync_total, double async_total) {
  std::vector<Said> said = transcript.lines();
  std::vector<std::string> async_order;
  for (std::size_t i = async_from; i < said.size(); ++i)
    if (said[i].line.starts_with("\t")) async_order.push_back(said[i].line.substr(1, 12));
  bool overlapped = async_order.size() == 4 && async_order[1] == "Making pastr" && async_order[2] == "Coffee is re";
  int named_main = 0;
  for (const Said& s : said) named_main += s.line.ends_with("Thread Name: " + current_thread_name());
  int elsewhere = transcript.said_elsewhere(get_ident());
  bool held = about(sync_total, 5) && about(async_total, 3) && overlapped && named_main == 4 && elsewhere == 0;
  return {held, fmt::format("synchronous {:.2f} s (2 + 3 in a row), asynchronous {:.2f} s (side by side: the pastry "
                            "{} before the coffee was ready); {}/4 'Making' lines and all {} lines on {} ({} "
                            "elsewhere)",
                            sync_total, async_total, overlapped ? "begun" : "NOT begun", named_main, said.size(),
                            current_thread_name(), elsewhere)};
}

}  // namespace

// async.h.
std::string on_one_thread(const Transcript& transcript, int elsewhere) {
  return fmt::format("all {} lines on {} ({} elsewhere)", transcript.lines().size(), current_thread_name(), elsewhere);
}

// async.h. time::allowance(): what a busy machine adds in real time, in lecture seconds.
bool about(double seconds, double longest) {
  return seconds >= longest - 1e-6 && seconds <= longest * 1.05 + 0.3 + time::allowance();
}

}  // namespace concur::demos
