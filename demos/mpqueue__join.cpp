// mpqueue, variants `join-before-get` and `get-before-join`: Python's documentation,
// "Programming guidelines: Joining processes that use queues". A child puts one large item
// ('X' * 1000000) on a process Queue; the parent wants it and wants the child ended.
//
//     def f(q):
//         q.put('X' * 1000000)
//     p = Process(target=f, args=(queue,)); p.start()
//     p.join()                    # this deadlocks
//     obj = queue.get()
//
// The item is bigger than the pipe under the Queue (64 KiB), so the child's put() can only
// finish while someone reads; but the parent reads only after join(), and join() waits
// for the child. In Python the child's feeder thread blocks on the full pipe and the
// child cannot exit until it has flushed; in concur put() writes itself and blocks the
// same way. Every thread of both processes now waits for ever: concur's wait table sees it
// across the processes, reports who waits for what, and unwinds the child (exit code 1),
// so the join returns and the demo ends instead of hanging (`join-before-get`).
// `get-before-join` is the fix the documentation gives: get first, then join.
#include "core/concur.h"
#include "demos/mpqueue.h"

namespace concur::demos {

namespace {

using process::Process;
using process::Queue;

constexpr std::size_t kItemSize = 1000000;

void f(Queue& q) {
  print("Child: putting 'X' * {} on the queue", kItemSize);
  q.put(std::string(kItemSize, 'X'));
  print("Child: the item is in the pipe; the child can end");
}

}  // namespace

Check run_mpqueue_join_before_get(const Context&) {
  Queue queue;
  Process p({.target = [&] { f(queue); }});
  p.start();

  // The documentation's deadlock: join the child before getting what it put.
  print("Main: joining {} before getting its item", p.name());
  p.join();  // this deadlocks (in Python)
  print("Main: {} ended with exit code {}", p.name(), *p.exitcode());
  // Its item never went in whole: nothing to get. The report above is the lesson.
  bool reported = deadlock::reported();
  return {reported && p.exitcode() != 0,
          fmt::format("the join waited for a child that waited for the pipe to drain: reported as a deadlock: {}; "
                      "the child was unwound (exit code {})",
                      reported ? "yes" : "no", *p.exitcode())};
}

Check run_mpqueue_get_before_join(const Context&) {
  Queue queue;
  Process p({.target = [&] { f(queue); }});
  p.start();

  // The fix: get the item first (the pipe drains as the child writes), then join.
  print("Main: getting the item before joining {}", p.name());
  std::string obj = queue.get().as_str();
  print("Main: got {} bytes", obj.size());
  p.join();
  print("Main: {} ended with exit code {}", p.name(), *p.exitcode());
  bool ok = obj.size() == kItemSize && p.exitcode() == 0 && !deadlock::reported();
  return {ok, fmt::format("got all {} bytes, then joined the child (exit code {})", obj.size(), *p.exitcode())};
}

}  // namespace concur::demos
