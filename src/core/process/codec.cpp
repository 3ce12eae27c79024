#include "core/process/codec.h"

#include <fmt/format.h>

#include <cstring>

#include "core/errors.h"

namespace concur::process {

namespace {

enum Tag : unsigned char { kNone = 'N', kInt = 'i', kFloat = 'f', kStr = 's', kList = 'l' };

void put_u64(std::string& out, std::uint64_t x) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}
void put_u32(std::string& out, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

void encode_value(std::string& out, const Value& value) {
  if (value.is_none()) {
    out.push_back(kNone);
  } else if (auto* i = std::get_if<long long>(&value.v)) {
    out.push_back(kInt);
    put_u64(out, static_cast<std::uint64_t>(*i));
  } else if (auto* d = std::get_if<double>(&value.v)) {
    std::uint64_t bits;
    std::memcpy(&bits, d, sizeof bits);
    out.push_back(kFloat);
    put_u64(out, bits);
  } else if (auto* s = std::get_if<std::string>(&value.v)) {
    out.push_back(kStr);
    put_u32(out, static_cast<std::uint32_t>(s->size()));
    out += *s;
  } else {
    const List& l = value.as_list();
    out.push_back(kList);
    put_u32(out, static_cast<std::uint32_t>(l.size()));
    for (const Value& item : l) encode_value(out, item);
  }
}

struct Reader {
  std::string_view in;
  std::size_t pos = 0;
  std::uint64_t take(int n) {
    if (pos + n > in.size()) throw ValueError("truncated message");
    std::uint64_t x = 0;
    for (int i = 0; i < n; ++i) x |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[pos + i])) << (8 * i);
    pos += n;
    return x;
  }
  Value value() {
    auto tag = static_cast<unsigned char>(take(1));
    switch (tag) {
      case kNone: return Value(None{});
      case kInt: return Value(static_cast<long long>(take(8)));
      case kFloat: {
        std::uint64_t bits = take(8);
        double d;
        std::memcpy(&d, &bits, sizeof d);
        return Value(d);
      }
      case kStr: {
        auto n = take(4);
        if (pos + n > in.size()) throw ValueError("truncated message");
        std::string s(in.substr(pos, n));
        pos += n;
        return Value(std::move(s));
      }
      case kList: {
        auto n = take(4);
        List l;
        for (std::uint64_t i = 0; i < n; ++i) l.push_back(value());
        return Value(std::move(l));
      }
      default: throw ValueError(fmt::format("unknown tag {}", static_cast<int>(tag)));
    }
  }
};

std::string float_repr(double d) {
  std::string s = fmt::format("{}", d);
  if (s == "inf") return "inf";
  if (s == "-inf") return "-inf";
  if (s == "nan") return "nan";
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string str_repr(const std::string& s) {
  // Python prefers single quotes, and uses double quotes when only ' occurs inside.
  char q = (s.find('\'') != std::string::npos && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, q);
  for (char c : s) {
    if (c == q || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + q;
}

}  // namespace

std::string encode(const Value& value) {
  std::string out;
  encode_value(out, value);
  return out;
}

void encode_into(std::string& out, const Value& value) { encode_value(out, value); }

Value decode(std::string_view bytes) {
  Reader r{bytes};
  Value v = r.value();
  if (r.pos != bytes.size()) throw ValueError("trailing bytes after message");
  return v;
}

std::string repr(const Value& value) {
  if (value.is_none()) return "None";
  if (auto* i = std::get_if<long long>(&value.v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value.v)) return float_repr(*d);
  if (auto* s = std::get_if<std::string>(&value.v)) return str_repr(*s);
  std::string out = "[";
  const List& l = value.as_list();
  for (std::size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + repr(l[i]);
  return out + "]";
}

std::string str(const Value& value) {
  if (auto* s = std::get_if<std::string>(&value.v)) return *s;
  return repr(value);
}

}  // namespace concur::process
