// The async demo's shorter programs: awaiting a coroutine, tasks finishing in their own
// order, and a task as a Future.
//
// Notebook 002 "Using Them Together": `hello` awaits my_function(), which sleeps 4 s and
// prints Hello; `gather` makes task1 (4 s) and task2 (1 s) into tasks and gathers them, so
// "Task 2 done" comes first. 002 "Example of Using Futures" (`future`): main makes a task
// of my_coroutine() (1 s), goes on a 5 s "vacation" meanwhile, and finds the result waiting
// when it awaits the task. (003's `fetch-data` is in async__gather.cpp.) Each program runs
// with asyncio.run, on the calling thread; each check times it and confirms that thread
// printed every line.
#include <fmt/format.h>

#include "core/aio/future.h"
#include "demos/async.h"
#include "core/concur.h"

namespace concur::demos {
namespace {

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

Check check_hello(const Transcript& transcript, double start, double total);
Check check_gather(const Transcript& transcript, double total);
Check check_future(const Transcript& transcript, bool done_on_return, double total);

}  // namespace

Check run_async_hello(const Context&) {
  Transcript transcript;
  // asyncio.run(main())
  double start = time::perf_counter();
  aio::run(hello_main());
  double total = time::perf_counter() - start;
  return check_hello(transcript, start, total);
}

Check run_async_gather(const Context&) {
  Transcript transcript;
  // asyncio.run(main())
  double start = time::perf_counter();
  aio::run(gather_main());
  double total = time::perf_counter() - start;
  return check_gather(transcript, total);
}

Check run_async_future(const Context&) {
  Transcript transcript;
  // asyncio.run(main())
  double start = time::perf_counter();
  bool done_on_return = aio::run(future_main());
  double total = time::perf_counter() - start;
  return check_future(transcript, done_on_return, total);
}

namespace {

// Hello came after the 4 s await, from this thread.
Check check_hello(const Transcript& transcript, double start, double total) {
  double hello_at = transcript.said_at("Hello") - start;
  int elsewhere = transcript.said_elsewhere(get_ident());
  return {about(hello_at, 4) && elsewhere == 0,
          fmt::format("Hello after {:.2f} s of the awaited 4 s sleep, run done after {:.2f} s; {}", hello_at, total,
                      on_one_thread(transcript, elsewhere))};
}

// The 1 s task finished first, so the 4 s and 1 s waits overlapped: about 4 s, not 5.
Check check_gather(const Transcript& transcript, double total) {
  double first = transcript.said_at("Task 1 done"), second = transcript.said_at("Task 2 done");
  bool two_first = second >= 0 && first > second;
  int elsewhere = transcript.said_elsewhere(get_ident());
  return {two_first && about(total, 4) && elsewhere == 0,
          fmt::format("Task 2 done {} Task 1 done: the 1 s wait ran inside the 4 s one, {:.2f} s in all (in a row: "
                      "5); {}",
                      two_first ? "before" : "NOT before", total, on_one_thread(transcript, elsewhere))};
}

// The task ran during main's 5 s sleep: done by then, about 5 s in all, not 1 + 5.
Check check_future(const Transcript& transcript, bool done_on_return, double total) {
  int elsewhere = transcript.said_elsewhere(get_ident());
  return {done_on_return && about(total, 5) && elsewhere == 0,
          fmt::format("the 1 s task was {} when main came back from its 5 s vacation: {:.2f} s in all (in a row: 6); "
                      "{}",
                      done_on_return ? "already done" : "NOT done", total, on_one_thread(transcript, elsewhere))};
}

}  // namespace

}  // namespace concur::demos
