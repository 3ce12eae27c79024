// What the parts of the mpqueue demo share.
#pragma once

#include <vector>

#include "demos/demo.h"
#include "core/process/queue.h"

namespace concur::demos {

// Everything left in a queue of ints, in order (call it once its writers are done).
std::vector<long long> drain(process::Queue& q);

// The `messages` variant (mpqueue__messages.cpp).
Check mpqueue_messages();
// The `join-before-get` (join_first) and `get-before-join` variants (mpqueue__join.cpp).
Check mpqueue_join(bool join_first);

}  // namespace concur::demos
