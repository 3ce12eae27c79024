#include "core/bigint.h"

namespace concur::bigint {

Int factorial(unsigned long n) {
  Int result = 1;
  for (unsigned long k = 2; k <= n; ++k) result *= k;
  return result;
}

// mpz_sizeinbase(x, 10) may be one too big, so count the digits of the printed number.
std::size_t decimal_digits(const Int& x) {
  std::string s = x.get_str(10);
  return s[0] == '-' ? s.size() - 1 : s.size();
}

std::string str(const Int& x) { return x.get_str(10); }

}  // namespace concur::bigint
