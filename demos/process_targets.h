// The table of functions a spawned child can run, filled explicitly (no self-registration).
#pragma once

namespace concur::demos {

// Registers every demo's child functions with process::register_target; src/main.cpp calls
// it before anything else, in the parent and in a spawned child alike.
void register_process_targets();

}  // namespace concur::demos
