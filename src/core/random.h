// Python's `random` module on a generator seeded per run (`--seed N`).
//
// Same ranges as Python: randint(a, b) includes both ends, uniform(a, b) is in [a, b].
// Calls are thread-safe; with one thread drawing, a seed gives the same numbers each run.
#pragma once

#include <cstdint>
#include <cstddef>
#include <mutex>
#include <vector>

namespace concur::random {

// Reseeds the run's generator (called when a run begins).
void seed(std::uint64_t value);

// An integer N with a <= N <= b. Throws ValueError if a > b ("empty range in randrange").
long long randint(long long a, long long b);

// A float in [a, b].
double uniform(double a, double b);

// A float in [0, 1).
double random();

// An index into a sequence of `size` elements, for choice(). Throws IndexError-like
// ValueError on an empty sequence.
std::size_t index(std::size_t size);

// The generator's lock; only for Runtime::ForkGuard.
std::mutex& fork_mutex();

// A random element of `items`.
template <typename T>
const T& choice(const std::vector<T>& items) {
  return items[index(items.size())];
}

}  // namespace concur::random
