#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"replace-div-by-constant", "eliminate-dead-nodes"};

// Every case that applies is bit-exact (no tolerance): that is the point of powers of two.
TEST(ReplaceDivByConstant, PowersOfTwo) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y)
    <float[3] c = {8, 0.5, -0.25}>
    {
      y = Div(x, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y)
    <float[3] c_reciprocal = {0.125, 2, -4}>
    {
      y = Mul(x, c_reciprocal)
    }
  )"}), 2u);  // the replacement, then the unused divisor
}

TEST(ReplaceDivByConstant, ScalarDoubleAndConstantNode) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (double[4] x) => (double[4] y) {
      c = Constant<value = double {1024}>()
      y = Div(x, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (double[4] x) => (double[4] y)
    <double c_reciprocal = {0.0009765625}>
    {
      y = Mul(x, c_reciprocal)
    }
  )"});
}

TEST(ReplaceDivByConstant, SharedDivisorStaysForItsOtherUsers) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4] x) => (float[4] y, float[4] z)
    <float c = {8}>
    {
      y = Div(x, c)
      z = Add(x, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4] x) => (float[4] y, float[4] z)
    <float c = {8}, float c_reciprocal = {0.125}>
    {
      y = Mul(x, c_reciprocal)
      z = Add(x, c)
    }
  )"});
}

TEST(ReplaceDivByConstant, AttentionScaleInSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,2] x) => (float[2,2] y)
    <float c = {8}>
    {
      y = If(b) <then_branch = th () => (float[2,2] v) { v = Div(x, c) },
                  else_branch = el () => (float[2,2] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,2] x) => (float[2,2] y)
    {
      y = If(b) <then_branch = th () => (float[2,2] v) <float c_reciprocal = {0.125}> { v = Mul(x, c_reciprocal) },
                  else_branch = el () => (float[2,2] w) { w = Neg(x) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(ReplaceDivByConstant, KeepsOtherDivisors) {
  // 3 and 0.1 have inexact reciprocals; 0 is not a power of two; 1e-40 is subnormal and 1e38's
  // reciprocal is.
  for (const char* c : {"float c = {3}", "float[4] c = {2, 0.1, 4, 8}", "float c = {0}"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[4] x) => (float[4] y)
      <{}>
      {{
        y = Div(x, c)
      }}
    )", c), kPass, ""});
  }
}

TEST(ReplaceDivByConstant, KeepsPowersOfTwoWithSubnormalReciprocalsAndNonFinite) {
  // 2^-130 is a subnormal float; 2^127's reciprocal 2^-127 is subnormal too.
  for (float divisor : {std::ldexp(1.0f, -130), std::ldexp(1.0f, 127), 1e-40f, 1e38f,
                        std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()}) {
    CheckPassCase({R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[4] x) => (float[4] y)
      <float c = {1}>
      {
        y = Div(x, c)
      }
    )", kPass, "", std::nullopt, true, [divisor](Model& model) { SetFloatInitializer(model, "c", {divisor}); }});
  }
}

TEST(ReplaceDivByConstant, KeepsIntegerDivisionAndNonConstantDivisors) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (int32[4] x) => (int32[4] y)
    <int32 c = {2}>
    {
      y = Div(x, c)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4] x, float c) => (float[4] y) {
      y = Div(x, c)
    }
  )", kPass, ""});
  // The constant as dividend: 2 / x is not a multiplication.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4] x) => (float[4] y)
    <float c = {2}>
    {
      y = Div(c, x)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
