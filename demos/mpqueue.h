// What the parts of the mpqueue demo share.
#pragma once

#include <vector>

#include "demos/demos.h"
#include "core/process/queue.h"

namespace concur::demos {

// Everything left in a queue of ints, in order (call it once its writers are done). In
// mpqueue__messages.cpp.
std::vector<long long> drain(process::Queue& q);

}  // namespace concur::demos
