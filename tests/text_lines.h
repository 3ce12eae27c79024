// Text helpers the tests share: a program's output as lines, and where a line is.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace concur::testing {

// The lines of `text`.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The index of the first line equal to `text`, or -1.
inline int index_of(const std::vector<std::string>& lines, const std::string& text) {
  for (int i = 0; i < static_cast<int>(lines.size()); ++i)
    if (lines[i] == text) return i;
  return -1;
}

}  // namespace concur::testing
