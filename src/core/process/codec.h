// The bytes that cross between processes: a small codec for the values the lecture sends
// (int, float, str, list, None), and their Python repr (`[42, None, 'hello']`).
//
// Encoding: one tag byte, then the payload: int and float as 8 little-endian bytes, str as
// a 4-byte length and its bytes, list as a 4-byte count and its items, None as the tag only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace concur::process {

struct Value;
using List = std::vector<Value>;

struct None {
  bool operator==(const None&) const = default;
};

struct Value {
  std::variant<None, long long, double, std::string, List> v;
  Value() = default;
  Value(None) {}
  Value(int i) : v(static_cast<long long>(i)) {}
  Value(long long i) : v(i) {}
  Value(double d) : v(d) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(List l) : v(std::move(l)) {}
  bool operator==(const Value& o) const { return v == o.v; }

  bool is_none() const { return std::holds_alternative<None>(v); }
  long long as_int() const { return std::get<long long>(v); }
  double as_float() const { return std::get<double>(v); }
  const std::string& as_str() const { return std::get<std::string>(v); }
  const List& as_list() const { return std::get<List>(v); }
};

// The value as bytes; decode() throws ValueError on malformed input.
std::string encode(const Value& value);
// Appends the value's bytes to `out` (what encode returns), with no string of its own.
void encode_into(std::string& out, const Value& value);
Value decode(std::string_view bytes);

// Python's repr(): 42, 3.5, 1.0, None, 'hello', [42, None, 'hello'].
std::string repr(const Value& value);
// Python's str(): like repr() but a top-level string is printed without quotes.
std::string str(const Value& value);

}  // namespace concur::process
