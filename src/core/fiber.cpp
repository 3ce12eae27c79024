#include "core/fiber.h"

#include <pthread.h>

#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <cstring>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

// libstdc++'s per-thread exception-handling globals (the Itanium C++ ABI's
// __cxa_eh_globals): the chain of exceptions being caught and the count of exceptions in
// flight. cxxabi.h declares the function, not the layout, which the ABI fixes.
namespace __cxxabiv1 {
struct __cxa_eh_globals;
extern "C" __cxa_eh_globals* __cxa_get_globals() noexcept;
}  // namespace __cxxabiv1

namespace concur {

namespace ctx = boost::context;

namespace {

struct EhGlobals {
  void* caught_exceptions = nullptr;
  unsigned int uncaught_exceptions = 0;
};

EhGlobals* eh_globals() { return reinterpret_cast<EhGlobals*>(__cxxabiv1::__cxa_get_globals()); }

}  // namespace

struct Fiber::Impl {
  ctx::fiber suspended;  // where this fiber resumes; empty while it runs
  std::function<Fiber*()> body;
  EhGlobals eh;  // this fiber's exception-handling state while it is suspended
  // For AddressSanitizer: the stack's lowest address and size, and the fake stack it keeps
  // for this fiber while it is suspended.
  const void* stack_bottom = nullptr;
  std::size_t stack_size = 0;
  [[maybe_unused]] void* asan_fake_stack = nullptr;
  // For ThreadSanitizer: the fiber's context, made here for a new fiber.
  [[maybe_unused]] void* tsan_fiber = nullptr;
  bool owns_tsan_fiber = false;
  bool started = false;  // it has run: its stack holds frames that a switch will resume

  // Just before this fiber leaves its stack for `next`'s; `dying`: it never comes back.
  void leave(Impl& next, bool dying) {
    if (!dying) eh = *eh_globals();
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_start_switch_fiber(dying ? nullptr : &asan_fake_stack, next.stack_bottom, next.stack_size);
#endif
#if defined(__SANITIZE_THREAD__)
    __tsan_switch_to_fiber(next.tsan_fiber, 0);
#endif
    (void)next;
  }
  // First thing on this fiber's stack after a switch into it.
  void arrive() {
    started = true;
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_finish_switch_fiber(asan_fake_stack, nullptr, nullptr);
#endif
    *eh_globals() = eh;
  }
};

namespace {

// Boost's guarded stack, remembering where it is for AddressSanitizer.
struct RecordedStack {
  ctx::protected_fixedsize_stack stack;
  Fiber::Impl* fiber;
  ctx::stack_context allocate() {
    ctx::stack_context sc = stack.allocate();
    fiber->stack_bottom = static_cast<char*>(sc.sp) - sc.size;
    fiber->stack_size = sc.size;
    return sc;
  }
  void deallocate(ctx::stack_context& sc) noexcept { stack.deallocate(sc); }
};

}  // namespace

Fiber::Fiber() : impl_(std::make_unique<Impl>()) {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    void* bottom = nullptr;
    std::size_t size = 0;
    if (pthread_attr_getstack(&attr, &bottom, &size) == 0) {
      impl_->stack_bottom = bottom;
      impl_->stack_size = size;
    }
    pthread_attr_destroy(&attr);
  }
#if defined(__SANITIZE_THREAD__)
  impl_->tsan_fiber = __tsan_get_current_fiber();
#endif
}

Fiber::Fiber(std::size_t stack_bytes, std::function<Fiber*()> body) : impl_(std::make_unique<Impl>()) {
  Impl* self = impl_.get();
  self->body = std::move(body);
#if defined(__SANITIZE_THREAD__)
  self->tsan_fiber = __tsan_create_fiber(0);
  self->owns_tsan_fiber = true;
#endif
  self->suspended = ctx::fiber(std::allocator_arg, RecordedStack{ctx::protected_fixedsize_stack(stack_bytes), self},
                               [self](ctx::fiber&&) {
                                 self->arrive();
                                 Impl& next = *self->body()->impl_;
                                 self->leave(next, true);
                                 return std::move(next.suspended);
                               });
}

Fiber::~Fiber() {
  // A fiber suspended in the middle of its body (a run torn down with a thread that never
  // finished): unwinding it here would run its frames' destructors against a scheduler that
  // is gone. Its stack is left mapped instead: a leak, on a path that should not happen.
  if (impl_->started && impl_->suspended) new ctx::fiber(std::move(impl_->suspended));
#if defined(__SANITIZE_THREAD__)
  if (impl_->owns_tsan_fiber) __tsan_destroy_fiber(impl_->tsan_fiber);
#endif
}

void Fiber::switch_to(Fiber& to) {
  Impl& me = *impl_;
  Impl& next = *to.impl_;
  me.leave(next, false);
  std::move(next.suspended).resume_with([&me](ctx::fiber&& from) {
    me.suspended = std::move(from);
    return ctx::fiber{};
  });
  me.arrive();
}

}  // namespace concur
