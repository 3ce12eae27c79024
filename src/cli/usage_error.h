// Bad usage: one line for stderr, exit 2. Thrown by the commands' validators and caught
// once in app.cpp.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace concur::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The candidate closest to `word` if it is close enough to be a typo ("semaphor" ->
// "semaphore"), else "".
std::string closest(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean 'X'?)" or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace concur::cli
