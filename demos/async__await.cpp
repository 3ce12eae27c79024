// The async demo's shorter programs: awaiting a coroutine, tasks finishing in their own
// order, a task as a Future, and gather over a list of coroutines.
//
// Notebook 002 "Using Them Together": `hello` awaits my_function(), which sleeps 4 s and
// prints Hello; `gather` makes task1 (4 s) and task2 (1 s) into tasks and gathers them, so
// "Task 2 done" comes first. 002 "Example of Using Futures" (`future`): main makes a task
// of my_coroutine() (1 s), goes on a 5 s "vacation" meanwhile, and finds the result waiting
// when it awaits the task. 003 "Implementing concurrent I/O with asyncio" (`fetch-data`):
// three fetch_data() coroutines of 1 s each, gathered, print "Data fetched" after 1 s, not
// 3. (003's slide calls asyncio.run(main()) inside main itself, an indentation slip: here
// it runs main once, from outside.) Each program runs with asyncio.run, on the calling
// thread; each check times it and confirms that thread printed every line.
#include <fmt/format.h>

#include "core/aio/future.h"
#include "demos/async.h"
#include "core/concur.h"

namespace concur::demos::async_demo {
namespace {

// For the fetch-data check: fetch_data() coroutines begun so far, and at the first fetch's end.
int fetches_begun = 0;
int begun_by_first_fetch = 0;

// 002 "Using Them Together", first example
aio::Coro<void> my_function() {
  co_await aio::sleep(4);
  say("Hello");
}

aio::Coro<void> hello_main() { co_await my_function(); }

// 002 "Using Them Together", second example
aio::Coro<void> task1() {
  co_await aio::sleep(4);
  say("Task 1 done");
}

aio::Coro<void> task2() {
  co_await aio::sleep(1);
  say("Task 2 done");
}

aio::Coro<void> gather_main() {
  aio::Task<void> t1 = aio::create_task(task1());
  aio::Task<void> t2 = aio::create_task(task2());
  co_await aio::gather(t1, t2);
}

// 002 "Example of Using Futures"
aio::Coro<std::string> my_coroutine() {
  co_await aio::sleep(1);
  co_return "Coroutine completed";
}

aio::Coro<bool> future_main() {
  // Create a Task (which returns a Future)
  aio::Task<std::string> future = aio::create_task(my_coroutine());

  say("Going to Maldives on a 2 day vacation");
  co_await aio::sleep(5);
  say("Come back from vacation");
  bool done_on_return = future.done();  // for the check: it finished during the vacation

  // Await the Future
  std::string result = co_await future.wait();
  say(result);
  co_return done_on_return;
}

// 003 "Implementing concurrent I/O with asyncio"
aio::Coro<void> fetch_data() {
  ++fetches_begun;
  co_await aio::sleep(1);
  if (begun_by_first_fetch == 0) begun_by_first_fetch = fetches_begun;
  say("Data fetched");
}

aio::Coro<void> fetch_main() {
  std::vector<aio::Coro<void>> tasks;
  for (int i = 0; i < 3; ++i) tasks.push_back(fetch_data());
  co_await aio::gather(std::move(tasks));
}

// The "all N lines on MainThread (0 elsewhere)" clause of the checks.
std::string on_one_thread(int elsewhere) {
  return fmt::format("all {} lines on {} ({} elsewhere)", transcript().size(), current_thread_name(), elsewhere);
}

}  // namespace

Check hello_variant() {
  // asyncio.run(main())
  double start = time::perf_counter();
  aio::run(hello_main());
  double total = time::perf_counter() - start;

  // Check: Hello came after the 4 s await, from this thread
  double hello_at = said_at("Hello") - start;
  int elsewhere = said_elsewhere(get_ident());
  return {about(hello_at, 4) && elsewhere == 0,
          fmt::format("Hello after {:.2f} s of the awaited 4 s sleep, run done after {:.2f} s; {}", hello_at, total,
                      on_one_thread(elsewhere))};
}

Check gather_variant() {
  // asyncio.run(main())
  double start = time::perf_counter();
  aio::run(gather_main());
  double total = time::perf_counter() - start;

  // Check: the 1 s task finished first, so the 4 s and 1 s waits overlapped: about 4 s, not 5
  double first = said_at("Task 1 done"), second = said_at("Task 2 done");
  bool two_first = second >= 0 && first > second;
  int elsewhere = said_elsewhere(get_ident());
  return {two_first && about(total, 4) && elsewhere == 0,
          fmt::format("Task 2 done {} Task 1 done: the 1 s wait ran inside the 4 s one, {:.2f} s in all (in a row: "
                      "5); {}",
                      two_first ? "before" : "NOT before", total, on_one_thread(elsewhere))};
}

Check future_variant() {
  // asyncio.run(main())
  double start = time::perf_counter();
  bool done_on_return = aio::run(future_main());
  double total = time::perf_counter() - start;

  // Check: the task ran during main's 5 s sleep: done by then, about 5 s in all, not 1 + 5
  int elsewhere = said_elsewhere(get_ident());
  return {done_on_return && about(total, 5) && elsewhere == 0,
          fmt::format("the 1 s task was {} when main came back from its 5 s vacation: {:.2f} s in all (in a row: 6); "
                      "{}",
                      done_on_return ? "already done" : "NOT done", total, on_one_thread(elsewhere))};
}

Check fetch_data_variant() {
  // asyncio.run(main())
  fetches_begun = begun_by_first_fetch = 0;
  double start = time::perf_counter();
  aio::run(fetch_main());
  double total = time::perf_counter() - start;

  // Check: all three began before the first finished: three 1 s waits in about 1 s, not 3
  int fetched = 0;
  for (const Said& s : transcript()) fetched += s.line == "Data fetched";
  int elsewhere = said_elsewhere(get_ident());
  return {fetched == 3 && begun_by_first_fetch == 3 && about(total, 1) && elsewhere == 0,
          fmt::format("{}/3 fetches done, {} begun before the first ended: {:.2f} s in all (in a row: 3); {}",
                      fetched, begun_by_first_fetch, total, on_one_thread(elsewhere))};
}

}  // namespace concur::demos::async_demo
