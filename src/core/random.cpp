#include "core/random.h"

#include <mutex>
#include <random>

#include "core/errors.h"

namespace concur::random {

namespace {
std::mutex mutex;
std::mt19937_64 generator{0};
}  // namespace

std::mutex& fork_mutex() { return mutex; }

void seed(std::uint64_t value) {
  std::lock_guard lk(mutex);
  generator.seed(value);
}

long long randint(long long a, long long b) {
  if (a > b) throw ValueError("empty range in randrange(" + std::to_string(a) + ", " + std::to_string(b + 1) + ")");
  std::lock_guard lk(mutex);
  return std::uniform_int_distribution<long long>(a, b)(generator);
}

double uniform(double a, double b) {
  std::lock_guard lk(mutex);
  return a + (b - a) * std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

double random() { return uniform(0.0, 1.0); }

std::size_t index(std::size_t size) {
  if (size == 0) throw ValueError("Cannot choose from an empty sequence");
  return static_cast<std::size_t>(randint(0, static_cast<long long>(size) - 1));
}

}  // namespace concur::random
