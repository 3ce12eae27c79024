// reactive, part 2: 004 "PyFunctional library for reactive programming" (`pyfunctional`).
// seq(1, 2, 3).map(lambda x: x * 2).filter(lambda x: x > 4).reduce(lambda x, y: x + y) is a
// pipeline of functional steps; std::ranges' views are the same steps: "Result: 6". The
// check: the pipeline's result is 6.
#include <numeric>
#include <ranges>
#include <vector>

#include "core/concur.h"
#include "demos/demos.h"

namespace concur::demos {

Check run_reactive_pyfunctional(const Context&) {
  // seq(1,2,3).map(lambda x: x*2).filter(lambda x: x > 4).reduce(lambda x, y: x + y)
  std::vector<int> seq = {1, 2, 3};
  auto pipeline = seq | std::views::transform([](int x) { return x * 2; }) |
                  std::views::filter([](int x) { return x > 4; });
  int result = std::accumulate(std::next(pipeline.begin()), pipeline.end(), *pipeline.begin(),
                               [](int x, int y) { return x + y; });
  print("Result: {}", result);

  return {result == 6, fmt::format("seq(1, 2, 3) mapped to 2, 4, 6, filtered to 6, reduced to {}", result)};
}

}  // namespace concur::demos
