// The bytes that cross between processes: values survive encode/decode, and print as Python.
#include <gtest/gtest.h>

#include "core/concur.h"

namespace concur::process {
namespace {

TEST(CodecTest, ListOfIntNoneAndStringPrintsAsPythonRepr) {
  Value v = List{42, None{}, "hello"};
  EXPECT_EQ(repr(v), "[42, None, 'hello']");
}

TEST(CodecTest, FloatsPrintWithAPointAsPythonDoes) {
  EXPECT_EQ(repr(Value(1.0)), "1.0");
  EXPECT_EQ(repr(Value(3.5)), "3.5");
  EXPECT_EQ(repr(Value(0.1)), "0.1");
}

TEST(CodecTest, StringReprQuotesLikePythonButStrDoesNot) {
  EXPECT_EQ(repr(Value("it's")), "\"it's\"");
  EXPECT_EQ(repr(Value("a'b\"c")), "'a\\'b\"c'");
  EXPECT_EQ(str(Value("hello")), "hello");
}

TEST(CodecTest, EveryKindSurvivesARoundTrip) {
  Value v = List{-7, 2.25, "", "text", None{}, List{1, List{}, "x"}, 1LL << 40};
  EXPECT_EQ(decode(encode(v)), v);
}

TEST(CodecTest, MalformedBytesAreAValueError) {
  std::string bytes = encode(Value("hello"));
  EXPECT_THROW(decode(bytes.substr(0, 3)), ValueError);
  EXPECT_THROW(decode("?"), ValueError);
  EXPECT_THROW(decode(bytes + "x"), ValueError);
}

}  // namespace
}  // namespace concur::process
