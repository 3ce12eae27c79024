// An item of a thread Queue as Python's repr shows it, for --live's panel: numbers as they
// print, strings quoted ('hello'), pairs as tuples ((1, 'a')), an empty optional as None
// (the demos' stand-in for Python's None), anything else as <object>.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace concur {

template <typename T>
struct IsPairItem : std::false_type {};
template <typename A, typename B>
struct IsPairItem<std::pair<A, B>> : std::true_type {};
template <typename T>
struct IsOptionalItem : std::false_type {};
template <typename T>
struct IsOptionalItem<std::optional<T>> : std::true_type {};

template <typename T>
std::string item_text(const T& item) {
  if constexpr (std::is_same_v<T, bool>) {
    return item ? "True" : "False";
  } else if constexpr (std::is_arithmetic_v<T>) {
    return fmt::format("{}", item);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    std::string_view s = item;
    return s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos
               ? fmt::format("\"{}\"", s)
               : fmt::format("'{}'", s);
  } else if constexpr (IsPairItem<T>::value) {
    return "(" + item_text(item.first) + ", " + item_text(item.second) + ")";
  } else if constexpr (IsOptionalItem<T>::value) {
    return item ? item_text(*item) : "None";
  } else {
    return "<object>";
  }
}

}  // namespace concur
