#include "cli/usage_error.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace concur::cli {

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The code point of the UTF-8 sequence at text[i], and its length in bytes; length 0 when
// the bytes there are not valid UTF-8 (a stray continuation byte, an overlong form, a
// surrogate, a cut-off sequence).
std::pair<char32_t, std::size_t> decode_utf8(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return {c, 1};
  std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return {0, 0};
  char32_t cp = c & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
  return {cp, n};
}

// Whether repr() would escape `cp`: control characters (C0, DEL, C1), the spaces other than
// ' ', and the invisible format characters (soft hyphen, zero-width and bidirectional marks,
// line and paragraph separators, the byte-order mark) that can disguise what was typed.
bool unprintable(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB);
}

// `text` with the unprintable characters escaped as Python's repr() escapes them; with
// `quote`, also the backslash and that quote character.
std::string escaped(const std::string& text, char quote) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    auto [cp, n] = decode_utf8(text, i);
    if (n == 0) {  // not UTF-8: the byte itself
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      i += 1;
      continue;
    }
    if (cp == '\n')
      out += "\\n";
    else if (cp == '\r')
      out += "\\r";
    else if (cp == '\t')
      out += "\\t";
    else if (quote && (cp == '\\' || cp == static_cast<char32_t>(quote)))
      out += std::string{'\\', static_cast<char>(cp)};
    else if (unprintable(cp))
      out += cp <= 0xFF ? fmt::format("\\x{:02x}", static_cast<unsigned>(cp))
                        : fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    else
      out.append(text, i, n);
    i += n;
  }
  return out;
}
}  // namespace

std::string closest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 3;  // at most two edits away, as ninja and git do
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (c.rfind(word, 0) == 0 && word.size() >= 3) d = std::min<std::size_t>(d, 1);  // a prefix
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::string repr(const std::string& text) {
  char quote = text.find('\'') != std::string::npos && text.find('"') == std::string::npos ? '"' : '\'';
  return quote + escaped(text, quote) + quote;
}

std::string printable(const std::string& line) { return escaped(line, 0); }

}  // namespace concur::cli
