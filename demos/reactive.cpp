// reactive: a stream of values pushed to an observer, and a pipeline of functional steps.
//
// 004 "RxPY – Python Module for Reactive Programming" (`rxpy`): Observable.create(get_strings)
// makes a source that, once subscribed to, pushes "Ram", "Mohan" and "Shyam" to its observer
// and then completes; PrintObserver prints "Received Ram", ..., "Finished". A second source
// fails after two names: the observer gets them, then on_error ("Error: ...") and never
// "Finished". No library: the few lines of Observable and Observer RxPY's example needs
// are below. As in RxPY without a scheduler, subscribe() calls the source at once, on the
// subscribing thread, and every notification reaches the observer before subscribe returns.
// 004 "PyFunctional library for reactive programming" (`pyfunctional`, in
// reactive__pyfunctional.cpp): seq(1, 2, 3).map(x * 2).filter(x > 4).reduce(x + y) with
// std::ranges: "Result: 6". The default `all` runs both, in the lecture's order.
//
// The checks: the observer received every item, in order, then exactly one ending
// (on_completed, or on_error for the failing source) and nothing after it; the pipeline's
// result is 6.
#include <functional>
#include <string>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {
namespace {

// rx.Observer: what a subscriber does with each notification.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_next(const std::string& value) = 0;
  virtual void on_completed() = 0;
  virtual void on_error(const std::string& error) = 0;
};

// rx.Observable.create(subscribe): a source that runs `subscribe` for each observer.
// An error the source raises goes to on_error; after on_completed or on_error the
// observer hears nothing more (Rx's rule: one ending, then silence).
class Observable {
 public:
  static Observable create(std::function<void(Observer&)> subscribe) { return Observable(std::move(subscribe)); }

  void subscribe(Observer& observer) const {
    Guard guard(observer);
    try {
      subscribe_(guard);
    } catch (const std::exception& e) {
      guard.on_error(e.what());
    }
  }

 private:
  explicit Observable(std::function<void(Observer&)> subscribe) : subscribe_(std::move(subscribe)) {}

  // Passes notifications on until the first ending.
  class Guard : public Observer {
   public:
    explicit Guard(Observer& to) : to_(to) {}
    void on_next(const std::string& value) override {
      if (!ended_) to_.on_next(value);
    }
    void on_completed() override {
      if (!ended_) to_.on_completed();
      ended_ = true;
    }
    void on_error(const std::string& error) override {
      if (!ended_) to_.on_error(error);
      ended_ = true;
    }

   private:
    Observer& to_;
    bool ended_ = false;
  };

  std::function<void(Observer&)> subscribe_;
};

void get_strings(Observer& observer) {
  observer.on_next("Ram");
  observer.on_next("Mohan");
  observer.on_next("Shyam");
  observer.on_completed();
}

void get_strings_then_fail(Observer& observer) {
  observer.on_next("Ram");
  observer.on_next("Mohan");
  throw ValueError("lost the list after 2 names");
}

class PrintObserver : public Observer {
 public:
  void on_next(const std::string& value) override {
    print("Received {}", value);
    seen.push_back(value);
  }
  void on_completed() override {
    print("Finished");
    seen.push_back("(completed)");
  }
  void on_error(const std::string& error) override {
    print("Error: {}", error);
    seen.push_back("(error)");
  }

  std::vector<std::string> seen;  // every notification, in order, for the check
};

}  // namespace

Check run_reactive_rxpy(const Context&) {
  // The lecture's source: three names, then completed
  Observable source = Observable::create(get_strings);
  PrintObserver observer;
  source.subscribe(observer);

  // A source that fails after two names: on_error instead of Finished
  Observable failing = Observable::create(get_strings_then_fail);
  PrintObserver failing_observer;
  failing.subscribe(failing_observer);

  std::vector<std::string> expected = {"Ram", "Mohan", "Shyam", "(completed)"};
  std::vector<std::string> expected_failing = {"Ram", "Mohan", "(error)"};
  bool held = observer.seen == expected && failing_observer.seen == expected_failing;
  return {held, fmt::format("the observer received {} of 3 names in order, then Finished; the failing source's "
                            "observer {} of 2, then on_error and nothing more",
                            observer.seen.size() - 1, failing_observer.seen.size() - 1)};
}

// Both, in the lecture's order.
Check run_reactive_all(const Context& ctx) {
  Check rxpy = run_reactive_rxpy(ctx);
  Check pyfunctional = run_reactive_pyfunctional(ctx);
  return {rxpy.held && pyfunctional.held, fmt::format("{}; {}", rxpy.message, pyfunctional.message)};
}

}  // namespace concur::demos
