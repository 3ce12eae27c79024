// Errors of the process layer with Python's names: EOFError (recv after the peer closed)
// and AssertionError (join() before start()); OSError is the core's (errors.h).
#pragma once

#include "core/errors.h"

namespace concur {

struct EOFError : PyError {
  explicit EOFError(const std::string& m = "") : PyError("EOFError", m) {}
};
// Python's `assert` in multiprocessing: join() before start().
struct AssertionError : PyError {
  explicit AssertionError(const std::string& m) : PyError("AssertionError", m) {}
};

}  // namespace concur
