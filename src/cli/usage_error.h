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

// `text` as a usage error quotes what the user typed, as Python's repr() quotes a str:
// in single quotes (double quotes when it holds a ' and no "), with the backslash, the quote
// and every character a terminal would act on escaped: 'a\nb', '\x1b[31m', '\t', '\u202e'.
// A byte that is not part of valid UTF-8 is shown as \xNN. The result never holds a newline
// or a control character, so the error stays one line and cannot drive the terminal.
std::string repr(const std::string& text);

// `line` with the control characters, the invisible or bidirectional Unicode characters and
// the invalid UTF-8 bytes escaped as repr() escapes them, and nothing else changed: for a
// message whose input was not quoted with repr() (CLI11's own, say). It leaves repr()'s
// output as it is.
std::string printable(const std::string& line);

}  // namespace concur::cli
