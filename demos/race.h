// The parts of the `race` demo: race.cpp runs the lecture's two threads and prints x;
// race__explore.cpp (`--explore`) lists every order their load and store steps could take
// instead, and counts where each order leaves x.
#pragma once

#include "demos/demos.h"

namespace concur::demos {

// race__explore.cpp: every interleaving of two threads' `--increments` load/store steps
// (each increment under the lock when `locked`), the distribution of the final x, and one
// schedule that reaches the lowest value.
Check race_explore(const Context& ctx, bool locked);

}  // namespace concur::demos
