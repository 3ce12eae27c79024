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
// async__await.cpp.
//
// The check reads the transcript (async.h): the synchronous half took the sum of its
// waits, the asynchronous half less than that sum, with the pastry started before the
// coffee was ready, and every line came from the thread that called the demo.
#include "demos/async.h"

#include <fmt/format.h>

#include "core/aio/future.h"
#include "core/concur.h"

namespace concur::demos {
namespace async_demo {
namespace {

std::vector<Said> said;  // the transcript, cleared when a run begins

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

void say(const std::string& line) {
  print(line);
  // one entry per output line ("\nAsynchronous approach:" is two)
  double at = time::perf_counter();
  for (std::size_t from = 0, to = 0; to != std::string::npos; from = to + 1) {
    to = line.find('\n', from);
    said.push_back({current_thread_name(), get_ident(), line.substr(from, to - from), at});
  }
}

const std::vector<Said>& transcript() { return said; }

double said_at(const std::string& line) {
  for (const Said& s : said)
    if (s.line == line) return s.at;
  return -1;
}

int said_elsewhere(long ident) {
  int n = 0;
  for (const Said& s : said) n += s.ident != ident;
  return n;
}

bool about(double seconds, double longest) {
  return seconds >= longest - 1e-6 && seconds <= longest * 1.05 + 0.3 + 0.05 / runtime().options().time_scale;
}

std::string py_float(double x) { return process::str(process::Value(x)); }

Check coffee_variant() {
  // Run the synchronous example
  say("Synchronous approach:");
  double start_time = time::time();
  say("Main thread entering order_sync()");
  order_sync();
  say("Main thread exiting order_sync()");
  double sync_total = time::time() - start_time;
  say(fmt::format("Total time: {} seconds", py_float(sync_total)));

  // Run the asynchronous example
  std::size_t async_from = said.size();
  say("\nAsynchronous approach:");
  start_time = time::time();
  say("Main thread entering order_async()");
  aio::run(order_async());
  say("Main thread exiting order_async()");
  double async_total = time::time() - start_time;
  say(fmt::format("Total time: {} seconds", py_float(async_total)));

  // Check: 2 + 3 s in a row, then the pastry begun before the coffee was ready (the two
  // waits side by side: about 3 s), all on the calling thread
  std::vector<std::string> async_order;
  for (std::size_t i = async_from; i < said.size(); ++i)
    if (said[i].line.starts_with("\t")) async_order.push_back(said[i].line.substr(1, 12));
  bool overlapped = async_order.size() == 4 && async_order[1] == "Making pastr" && async_order[2] == "Coffee is re";
  int named_main = 0;
  for (const Said& s : said) named_main += s.line.ends_with("Thread Name: " + current_thread_name());
  int elsewhere = said_elsewhere(get_ident());
  bool held = about(sync_total, 5) && about(async_total, 3) && overlapped && named_main == 4 && elsewhere == 0;
  return {held, fmt::format("synchronous {:.2f} s (2 + 3 in a row), asynchronous {:.2f} s (side by side: the pastry "
                            "{} before the coffee was ready); {}/4 'Making' lines and all {} lines on {} ({} "
                            "elsewhere)",
                            sync_total, async_total, overlapped ? "begun" : "NOT begun", named_main, said.size(),
                            current_thread_name(), elsewhere)};
}

}  // namespace async_demo

Check run_async(const Context& ctx) {
  // A fresh transcript for this run, then the chosen lecture program.
  async_demo::said.clear();
  if (ctx.variant == "hello") return async_demo::hello_variant();
  if (ctx.variant == "gather") return async_demo::gather_variant();
  if (ctx.variant == "future") return async_demo::future_variant();
  if (ctx.variant == "fetch-data") return async_demo::fetch_data_variant();
  if (ctx.variant == "fetch") return run_async_fetch();
  return async_demo::coffee_variant();
}

}  // namespace concur::demos
