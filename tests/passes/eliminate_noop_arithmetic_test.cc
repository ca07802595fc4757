#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-arithmetic"};

// `op_line` computes a from x and the initializers, then y = Abs(a).
std::string Model(const std::string& x_type, const std::string& initializers, const std::string& op_line,
                  int opset = 17) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\ng (" + x_type + " x) => (" + x_type +
         " y) <" + initializers + "> {\n  " + op_line + "\n  y = Abs(a)\n}\n";
}

std::string Removed(const std::string& x_type, const std::string& initializers, int opset = 17) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\ng (" + x_type + " x) => (" + x_type +
         " y) <" + initializers + "> {\n  y = Abs(x)\n}\n";
}

TEST(EliminateNoopArithmetic, IntegerAddAndSubOfZero) {
  std::string init = "int64[3] z = {0, 0, 0}";
  EXPECT_EQ(CheckPassCase({Model("int64[2,3]", init, "a = Add(x, z)"), kPass, Removed("int64[2,3]", init)}), 1u);
  CheckPassCase({Model("int64[2,3]", init, "a = Add(z, x)"), kPass, Removed("int64[2,3]", init)});
  CheckPassCase({Model("int32[2,3]", "int32 z = {0}", "a = Sub(x, z)"), kPass, Removed("int32[2,3]", "int32 z = {0}")});
  CheckPassCase({Model("int32[2,3]", "int32 z = {0}", "a = Sub(z, x)"), kPass, ""});  // -x
}

TEST(EliminateNoopArithmetic, FloatAddOnlyOfNegativeZero) {
  // x + (+0.0) turns -0.0 into +0.0: kept.
  CheckPassCase({Model("float[2,3]", "float[1] z = {0}", "a = Add(x, z)"), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float[1] z = {0}", "a = Add(z, x)"), kPass, ""});
  // x + (-0.0) = x for every x.
  CheckPassCase({Model("float[2,3]", "float[1] z = {-0.0}", "a = Add(x, z)"), kPass,
                 Removed("float[2,3]", "float[1] z = {-0.0}")});
  CheckPassCase({Model("double[2,3]", "double[1] z = {-0.0}", "a = Add(z, x)"), kPass,
                 Removed("double[2,3]", "double[1] z = {-0.0}")});
}

TEST(EliminateNoopArithmetic, FloatSubOnlyOfPositiveZero) {
  CheckPassCase({Model("float[2,3]", "float[3] z = {0, 0, 0}", "a = Sub(x, z)"), kPass,
                 Removed("float[2,3]", "float[3] z = {0, 0, 0}")});
  CheckPassCase({Model("double[2,3]", "double z = {0}", "a = Sub(x, z)"), kPass, Removed("double[2,3]", "double z = {0}")});
  CheckPassCase({Model("float[2,3]", "float[1] z = {-0.0}", "a = Sub(x, z)"), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float[1] z = {0}", "a = Sub(z, x)"), kPass, ""});
}

TEST(EliminateNoopArithmetic, MulAndDivByOne) {
  std::string one = "float[1,3] one = {1, 1, 1}";
  CheckPassCase({Model("float[N,3]", one, "a = Mul(x, one)"), kPass, Removed("float[N,3]", one)});
  CheckPassCase({Model("float[N,3]", one, "a = Mul(one, x)"), kPass, Removed("float[N,3]", one)});
  CheckPassCase({Model("float[N,3]", one, "a = Div(x, one)"), kPass, Removed("float[N,3]", one)});
  CheckPassCase({Model("float[N,3]", one, "a = Div(one, x)"), kPass, ""});
  CheckPassCase({Model("int64[2,3]", "int64 one = {1}", "a = Div(x, one)"), kPass, Removed("int64[2,3]", "int64 one = {1}")});
}

TEST(EliminateNoopArithmetic, KeepsOtherConstants) {
  CheckPassCase({Model("float[2,3]", "float[3] c = {1, 2, 1}", "a = Mul(x, c)"), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float[1] c = {1}", "a = Add(x, c)"), kPass, ""});
  CheckPassCase({Model("int64[2,3]", "int64[1] c = {1}", "a = Sub(x, c)"), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float[1] c = {0}", "a = Mul(x, c)"), kPass, ""});
}

TEST(EliminateNoopArithmetic, PowOfOne) {
  CheckPassCase({Model("float[2,3]", "float e = {1}", "a = Pow(x, e)"), kPass, Removed("float[2,3]", "float e = {1}")});
  // From opset 12 the exponent may have another type.
  CheckPassCase({Model("float[2,3]", "int64 e = {1}", "a = Pow(x, e)", 13), kPass, Removed("float[2,3]", "int64 e = {1}", 13)});
  CheckPassCase({Model("int32[2,3]", "int64 e = {1}", "a = Pow(x, e)", 13), kPass, Removed("int32[2,3]", "int64 e = {1}", 13)});
  // An integer base with a float exponent goes through double: kept.
  CheckPassCase({Model("int64[2,3]", "float e = {1}", "a = Pow(x, e)", 13), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float e = {1}", "a = Pow(e, x)"), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float e = {2}", "a = Pow(x, e)"), kPass, ""});
}

TEST(EliminateNoopArithmetic, KeepsAConstantThatBroadcastsXToALargerShape) {
  CheckPassCase({Model("float[3]", "float[2,3] one = {1, 1, 1, 1, 1, 1}", "a = Mul(x, one)"), kPass, ""});
  CheckPassCase({Model("float[1,3]", "float[2,3] one = {1, 1, 1, 1, 1, 1}", "a = Mul(x, one)"), kPass, ""});
  CheckPassCase({Model("float[N,3]", "float[2,3] one = {1, 1, 1, 1, 1, 1}", "a = Mul(x, one)"), kPass, ""});
}

TEST(EliminateNoopArithmetic, KeepsXOfUnknownTypeOrRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <float one = {1}> {
      r = Relu(x)
      a = Mul(r, one)
      y = Neg(a)
    }
  )", kPass, ""});
}

TEST(EliminateNoopArithmetic, KeepsANonConstantOperand) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x, float one) => (float[2,3] y) {
      a = Mul(x, one)
      y = Neg(a)
    }
  )", kPass, ""});
}

TEST(EliminateNoopArithmetic, ConstantNodeOperand) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      one = Constant<value = float {1}>()
      a = Mul(x, one)
      y = Neg(a)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      one = Constant<value = float {1}>()
      y = Neg(x)
    }
  )"});
}

TEST(EliminateNoopArithmetic, LegacyBroadcastBeforeOpset7) {
  CheckPassCase({Model("float[2,3]", "float[1] one = {1}", "a = Mul<broadcast = 1>(x, one)", 6), kPass,
                 Removed("float[2,3]", "float[1] one = {1}", 6)});
  CheckPassCase({Model("float[2,3]", "float[2,3] one = {1, 1, 1, 1, 1, 1}", "a = Mul(x, one)", 6), kPass,
                 Removed("float[2,3]", "float[2,3] one = {1, 1, 1, 1, 1, 1}", 6)});
  // Without broadcast = 1 the shapes must be equal; input 0 is never broadcast.
  CheckPassCase({Model("float[2,3]", "float[3] one = {1, 1, 1}", "a = Mul<broadcast = 1>(x, one)", 6), kPass, ""});
  CheckPassCase({Model("float[2,3]", "float[2,3] one = {1, 1, 1, 1, 1, 1}", "a = Mul(one, x)", 6), kPass, ""});
}

TEST(EliminateNoopArithmetic, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <float one = {1}, float[2,3] r> {
      r = Relu(x)
      y = Mul(r, one)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <float one = {1}, float[2,3] y> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <float one = {1}> {
      y = Mul(x, one)
    }
  )", kPass, ""});
}

TEST(EliminateNoopArithmetic, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2,3] x) => (float[2,3] y) <float one = {1}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { m = Div(x, one)  v = Neg(m) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2,3] x) => (float[2,3] y) <float one = {1}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Neg(x) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
