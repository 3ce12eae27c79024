// Errors of the process layer with Python's names: EOFError (recv after the peer closed)
// and OSError (using the wrong end of a one-way Pipe, a failed system call).
#pragma once

#include "../errors.h"

namespace concur {

struct EOFError : PyError {
  explicit EOFError(const std::string& m = "") : PyError("EOFError", m) {}
};
// Python's `assert` in multiprocessing: join() before start().
struct AssertionError : PyError {
  explicit AssertionError(const std::string& m) : PyError("AssertionError", m) {}
};
struct OSError : PyError {
  explicit OSError(const std::string& m) : PyError("OSError", m) {}
};

}  // namespace concur
