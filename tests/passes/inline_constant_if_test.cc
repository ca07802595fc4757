#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"inline-constant-if"};

TEST(InlineConstantIf, TakesTheThenBranch) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      i = If(c) <then_branch = t () => (float[2] a) { r = Relu(x)  a = Neg(r) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
      y = Sigmoid(i)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      r = Relu(x)
      i = Neg(r)
      y = Sigmoid(i)
    }
  )"}), 1u);
}

TEST(InlineConstantIf, TakesTheElseBranchOfAConstantNode) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      c = Constant<value = bool {0}>()
      y = If(c) <then_branch = t () => (float[2] a) { a = Relu(x) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      c = Constant<value = bool {0}>()
      y = Abs(x)
    }
  )"});
}

TEST(InlineConstantIf, MovesInitializersAndValueInfo) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      i = If(c) <then_branch = t () => (float[2] a) <float[2] w = {1, 2}, float[2] m> { m = Mul(x, w)  a = Neg(m) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
      y = Sigmoid(i)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}, float[2] w = {1, 2}, float[2] m> {
      m = Mul(x, w)
      i = Neg(m)
      y = Sigmoid(i)
    }
  )"});
}

TEST(InlineConstantIf, RenamesBranchNamesUsedElsewhere) {
  // "r" is also defined in the branch of another If, which would end up nested in a graph that
  // defines "r" too: the moved one is renamed.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool d, float[2] x) => (float[2] y) <bool c = {1}> {
      i = If(c) <then_branch = t () => (float[2] a) { r = Relu(x)  a = Neg(r) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
      y = If(d) <then_branch = t2 () => (float[2] v) { r = Sigmoid(i)  v = Neg(r) },
                  else_branch = e2 () => (float[2] w) { w = Abs(i) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool d, float[2] x) => (float[2] y) <bool c = {1}> {
      r__1 = Relu(x)
      i = Neg(r__1)
      y = If(d) <then_branch = t2 () => (float[2] v) { r = Sigmoid(i)  v = Neg(r) },
                  else_branch = e2 () => (float[2] w) { w = Abs(i) }>
    }
  )"});
}

TEST(InlineConstantIf, BranchReturningAnOuterValue) {
  // The If output is not a graph output: its users use x directly.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      i = If(c) <then_branch = t () => (float[2] x) { },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
      y = Neg(i)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      y = Neg(x)
    }
  )"});
  // As graph outputs, graph inputs cannot take the outputs' names: Identities stand in.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] z) => (float[2] y, float[2] y2) <bool c = {1}> {
      y, y2 = If(c) <then_branch = t () => (float[2] x, float[2] z) { },
                      else_branch = e () => (float[2] p, float[2] q) { p = Abs(x)  q = Abs(z) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] z) => (float[2] y, float[2] y2) <bool c = {1}> {
      y = Identity(x)
      y2 = Identity(z)
    }
  )"});
}

TEST(InlineConstantIf, BranchInitializerReturnedAsAGraphOutput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] k) <bool c = {0}> {
      y, k = If(c) <then_branch = t () => (float[2] a, float[2] a2) { a = Neg(x)  a2 = Neg(x) },
                     else_branch = e () => (float[2] b, float[2] w) <float[2] w = {3, 4}> { b = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] k) <bool c = {0}, float[2] k = {3, 4}> {
      y = Abs(x)
    }
  )"});
}

TEST(InlineConstantIf, SameValueReturnedTwiceAsGraphOutputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] y2) <bool c = {1}> {
      y, y2 = If(c) <then_branch = t () => (float[2] a, float[2] a) { a = Relu(x) },
                      else_branch = e () => (float[2] p, float[2] q) { p = Abs(x)  q = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] y2) <bool c = {1}> {
      y = Relu(x)
      y2 = Identity(y)
    }
  )"});
}

TEST(InlineConstantIf, CopiesNestedSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool d, float[2] x) => (float[2] y) <bool c = {1}> {
      y = If(c) <then_branch = t () => (float[2] a) {
                    r = Relu(x)
                    a = If(d) <then_branch = t2 () => (float[2] v) <float[2] k = {5, 6}> { s = Add(r, k)  v = Neg(s) },
                                else_branch = e2 () => (float[2] w) { w = Abs(r) }>
                  },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool d, float[2] x) => (float[2] y) <bool c = {1}> {
      r = Relu(x)
      y = If(d) <then_branch = t2 () => (float[2] v) <float[2] k = {5, 6}> { s = Add(r, k)  v = Neg(s) },
                  else_branch = e2 () => (float[2] w) { w = Abs(r) }>
    }
  )"});
}

TEST(InlineConstantIf, NestedConstantIfsInlineInOneRun) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      y = If(c) <then_branch = t () => (float[2] a) {
                    a = If(c) <then_branch = t2 () => (float[2] v) { v = Neg(x) },
                                else_branch = e2 () => (float[2] w) { w = Abs(x) }>
                  },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool c = {1}> {
      y = Neg(x)
    }
  )"}), 2u);
}

TEST(InlineConstantIf, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool d, float[2] x) => (float[2] y) <bool c = {0}> {
      y = If(d) <then_branch = t () => (float[2] a) {
                    a = If(c) <then_branch = t2 () => (float[2] v) { v = Neg(x) },
                                else_branch = e2 () => (float[2] w) { m = Abs(x)  w = Sigmoid(m) }>
                  },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool d, float[2] x) => (float[2] y) <bool c = {0}> {
      y = If(d) <then_branch = t () => (float[2] a) { m = Abs(x)  a = Sigmoid(m) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )"});
}

TEST(InlineConstantIf, KeepsAnIfOfAVariableCondition) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] a) { a = Relu(x) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, ""});
  // A graph input with a default value is not a constant.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) <bool c = {1}> {
      y = If(c) <then_branch = t () => (float[2] a) { a = Relu(x) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, ""});
}

TEST(InlineConstantIf, KeepsAConditionOfSeveralElements) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <bool[2] c = {1, 1}> {
      y = If(c) <then_branch = t () => (float[2] a) { a = Relu(x) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, "", std::nullopt, false});
}

TEST(InlineConstantIf, KeepsBranchInitializersAtIrVersion3) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 9]>
    g (float[2] x, bool c) => (float[2] y) <bool c = {1}> {
      k = Constant<value = bool {1}>()
      y = If(k) <then_branch = t () => (float[2] a) <float[2] w = {1, 2}> { a = Mul(x, w) },
                  else_branch = e () => (float[2] b) { b = Abs(x) }>
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
