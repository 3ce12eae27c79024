// fmt's compiled part (what libfmt.so holds), built from Debian's own fmt headers into this
// program when CONCUR_STATIC_RUNTIME is on: Debian ships no static libfmt, and a shared one
// pulls the shared libstdc++ back in at every start (see CMakeLists.txt). format-inl.h
// defines fmt's non-template functions; the two templates below are the ones fmt's headers
// declare extern for `char` and that concur's code uses (locale-aware number formatting).
#include <fmt/format-inl.h>

namespace fmt::detail {
template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl<char>(locale_ref) -> char;
}  // namespace fmt::detail
