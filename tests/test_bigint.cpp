// Exact big integers (src/core/bigint.h): factorials and their digit counts.
#include <gtest/gtest.h>

#include "core/bigint.h"

namespace concur::bigint {
namespace {

TEST(BigIntTest, SmallFactorialsAreExact) {
  EXPECT_EQ(str(factorial(0)), "1");
  EXPECT_EQ(str(factorial(20)), "2432902008176640000");
  EXPECT_EQ(str(factorial(25)), "15511210043330985984000000");
}

TEST(BigIntTest, FactorialOfFiftyThousandHas213237Digits) {
  EXPECT_EQ(decimal_digits(factorial(50000)), 213237u);
}

TEST(BigIntTest, DigitCountIgnoresTheSign) {
  EXPECT_EQ(decimal_digits(Int(-12345)), 5u);
  EXPECT_EQ(decimal_digits(Int(0)), 1u);
}

}  // namespace
}  // namespace concur::bigint
