// The parts of the `lock` demo: one run function per group of variants, each in its own
// file demos/lock__PART.cpp; demos/lock.cpp chooses among them by variant.
#pragma once

#include "demos/demo.h"

namespace concur::demos {

Check run_lock_counter(const Context& ctx);   // lock__counter.cpp: 002 "Using Locks"
Check run_lock_manual(const Context& ctx);    // lock__counter.cpp: 002 "What is with?"
Check run_lock_file(const Context& ctx);      // lock__file.cpp: 003 "threading.Lock – Avoiding Race Conditions"
Check run_lock_safe_set(const Context& ctx);  // lock__safe_set.cpp: 004 "Sets" / "Decorator"

}  // namespace concur::demos
