#include "core/narration.h"

#include <fmt/format.h>

namespace concur::trace {

namespace {

// "semaphore 1 is 0", "queue 1 is empty": why a wait on this kind of site waits.
std::string why_waiting(const Event& e) {
  switch (e.site) {
    case SiteKind::kLock:
    case SiteKind::kRLock:
      return fmt::format("waits for {}{}", e.object, e.action.empty() ? "" : ", held by " + e.action);
    case SiteKind::kSemaphore: return fmt::format("waits: {} is 0", e.object);
    case SiteKind::kEvent: return fmt::format("waits for {} to be set", e.object);
    case SiteKind::kCondition: return fmt::format("waits on {} (its lock is released meanwhile)", e.object);
    case SiteKind::kBarrier: return fmt::format("waits at {} for the others", e.object);
    case SiteKind::kQueue: return fmt::format("waits until {}", e.object);
    case SiteKind::kFuture: return fmt::format("waits for {}", e.object);
    case SiteKind::kThread: return fmt::format("waits for {} to finish", e.object);
    case SiteKind::kSleep: return "sleeps";
    case SiteKind::kPipe: return fmt::format("waits for {} to be readable or writable", e.object);
  }
  return "waits";
}

}  // namespace

std::string why_it_stopped(Woke why) {
  switch (why) {
    case Woke::kGot: return "it got it";
    case Woke::kTimeout: return "the timeout passed";
    case Woke::kStopped: return "the run was stopped";
    case Woke::kUnwound: return "the run unwinds it after the report above (it could never get it)";
  }
  return "";
}

std::string held_by(const WaitSite& site) {
  ThreadState* holder = site.owner.load();
  return holder ? site.label() + " (held by " + holder->name + ")" : site.label();
}

std::string narration(const Event& e) {
  const std::string& who = e.thread_name;
  switch (e.kind) {
    case Kind::kStart: return who + " starts";
    case Kind::kEnd: return who + " ends";
    case Kind::kWait: return who + " " + why_waiting(e);
    case Kind::kWoken:
      if (!e.ok) return fmt::format("{} stops waiting for {}: {}", who, e.object, why_it_stopped(e.woke));
      switch (e.site) {
        case SiteKind::kLock:
        case SiteKind::kRLock: return "";  // the hold that follows tells it
        case SiteKind::kSemaphore: return fmt::format("{} is let through by {}", who, e.object);
        case SiteKind::kEvent: return fmt::format("{} sees {} set", who, e.object);
        case SiteKind::kCondition: return fmt::format("{} is notified on {}", who, e.object);
        case SiteKind::kBarrier: return fmt::format("{} passes {}: everyone has arrived", who, e.object);
        case SiteKind::kThread: return fmt::format("{} sees {} finished", who, e.object);
        default: return fmt::format("{} goes on: {}", who, e.object);
      }
    case Kind::kSleep:
      return fmt::format("{} sleeps {} s", who,
                         e.value == static_cast<long long>(e.value) ? fmt::format("{:g}", e.value)
                                                                    : fmt::format("{:.2f}", e.value));
    case Kind::kAwake: return "";
    case Kind::kHold: return fmt::format("{} takes {}", who, e.object);
    case Kind::kRelease: return fmt::format("{} releases {}", who, e.object);
    case Kind::kInstant: return fmt::format("{} {} {}", who, e.action, e.object);
  }
  return "";
}

}  // namespace concur::trace
