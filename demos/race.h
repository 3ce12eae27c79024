// The parts of the `race` demo: race.cpp runs the lecture's two threads and prints x;
// race__explore.cpp (`--explore`) lists every order their load and store steps could take
// instead, and counts where each order leaves x.
#pragma once

#include "demos/demo.h"

namespace concur::demos {

// race__explore.cpp: every interleaving of two threads' `--increments` load/store steps,
// the distribution of the final x, and one schedule that reaches the lowest value.
Check run_race_explore(const Context& ctx);

}  // namespace concur::demos
