// A fiber: a stack of its own and a place to resume, switched to in user space.
//
// The deterministic scheduler (deterministic.h) runs every demo thread of a virtual run on
// a fiber, all of them on the run's one OS thread. Only one demo thread runs at a time
// there anyway; with fibers, handing the turn from one to the next is a switch of a few
// nanoseconds (Boost.Context's fcontext: save the registers, change the stack pointer)
// where it was a kernel wake-up of one OS thread and a sleep of another (17–60 µs).
//
//   Fiber main_fiber;                                   // the OS thread's own stack
//   Fiber worker(kStack, [&] { work(); return &main_fiber; });
//   main_fiber.switch_to(worker);                       // runs work(), then comes back
//
// Nothing is preempted: a fiber runs until it calls switch_to() or its body returns.
// What the C++ runtime keeps per OS thread and a fiber must have for itself travels with
// each switch: the exception-handling state (the exceptions being caught and the count of
// those in flight, so a fiber may switch inside a catch block or while unwinding), and,
// in sanitizer builds, the stack bounds (AddressSanitizer) and the fiber's own history
// (ThreadSanitizer), which each switch announces.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace concur {

class Fiber {
 public:
  // The fiber the calling OS thread is running on now: its own stack.
  Fiber();
  // A fiber with a new stack of `stack_bytes` (and a guard page below it). `body` runs on
  // it from the first switch_to() into it; it must not throw, and returns the fiber to
  // resume when it ends (the stack is freed in that switch). Throws std::bad_alloc when
  // no stack can be mapped.
  Fiber(std::size_t stack_bytes, std::function<Fiber*()> body);
  // Of a fiber that is not running: one whose body returned, one never switched to, or the
  // OS thread's own.
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  // Suspends the calling fiber, which must be *this, and resumes `to` (where it last called
  // switch_to, or at the start of its body). Returns when a fiber switches back to this one.
  void switch_to(Fiber& to);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace concur
