// Exact big integers, for the CPU-bound half of the hybrid demo: Python's ints have no
// size limit, C++'s do, so factorial(50000) is computed with GMP (gmpxx's mpz_class).
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <string>

namespace concur::bigint {

using Int = mpz_class;

// math.factorial(n): 1 * 2 * ... * n, exactly. Real CPU work (GMP multiplies them all).
Int factorial(unsigned long n);

// len(str(x)): the number of decimal digits of x (its sign not counted).
std::size_t decimal_digits(const Int& x);

// str(x).
std::string str(const Int& x);

}  // namespace concur::bigint
