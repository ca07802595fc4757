#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-common-subexpressions"};

TEST(EliminateCommonSubexpressions, MergesTheSameOpOnTheSameInputs) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = Relu(x)
      b = Relu(x)
      y = Add(a, b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = Relu(x)
      y = Add(a, a)
    }
  )"}), 1u);
}

TEST(EliminateCommonSubexpressions, MergesChainsInOneRun) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] w) => (float[2] y) {
      a = Mul(x, w)
      b = Mul(x, w)
      c = Sigmoid(a)
      d = Sigmoid(b)
      y = Sub(c, d)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] w) => (float[2] y) {
      a = Mul(x, w)
      c = Sigmoid(a)
      y = Sub(c, c)
    }
  )"}), 2u);
}

TEST(EliminateCommonSubexpressions, AttributesInAnyOrder) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x, float[3,4] w) => (float[2,4] y) {
      a = Gemm<alpha = 2.0, transB = 0>(x, w)
      b = Gemm<transB = 0, alpha = 2.0>(x, w)
      y = Add(a, b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x, float[3,4] w) => (float[2,4] y) {
      a = Gemm<alpha = 2.0, transB = 0>(x, w)
      y = Add(a, a)
    }
  )"});
}

TEST(EliminateCommonSubexpressions, KeepsDifferentAttributesInputsOrOps) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = LeakyRelu<alpha = 0.1>(x)
      b = LeakyRelu<alpha = 0.2>(x)
      y = Add(a, b)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = LeakyRelu<alpha = 0.1>(x)
      b = LeakyRelu(x)
      y = Add(a, b)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] w) => (float[2] y) {
      a = Sub(x, w)
      b = Sub(w, x)
      y = Add(a, b)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = Relu(x)
      b = Neg(x)
      y = Add(a, b)
    }
  )", kPass, ""});
}

TEST(EliminateCommonSubexpressions, KeepsRandomOps) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = RandomUniformLike(x)
      b = RandomUniformLike(x)
      y = Sub(a, b)
    }
  )", kPass, "", std::nullopt, false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = RandomNormal<shape = [2]>()
      b = RandomNormal<shape = [2]>()
      y = Sub(a, b)
    }
  )", kPass, "", std::nullopt, false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, bool train) => (float[2] y) {
      a = Dropout(x, , train)
      b = Dropout(x, , train)
      y = Sub(a, b)
    }
  )", kPass, "", std::nullopt, false});
}

TEST(EliminateCommonSubexpressions, KeepsIfsWhoseBranchesAreRandom) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      a = If(c) <then_branch = t1 () => (float[2] v1) { v1 = RandomUniformLike(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Neg(x) }>
      b = If(c) <then_branch = t1 () => (float[2] v1) { v1 = RandomUniformLike(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Neg(x) }>
      y = Sub(a, b)
    }
  )", kPass, "", std::nullopt, false});
}

TEST(EliminateCommonSubexpressions, MergesIfsWithEqualBranches) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      a = If(c) <then_branch = t1 () => (float[2] v1) { v1 = Relu(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Neg(x) }>
      b = If(c) <then_branch = t1 () => (float[2] v1) { v1 = Relu(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Neg(x) }>
      y = Sub(a, b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      a = If(c) <then_branch = t1 () => (float[2] v1) { v1 = Relu(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Neg(x) }>
      y = Sub(a, a)
    }
  )"});
  // Branches that differ keep both.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      a = If(c) <then_branch = t1 () => (float[2] v1) { v1 = Relu(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Neg(x) }>
      b = If(c) <then_branch = t1 () => (float[2] v1) { v1 = Relu(x) },
                  else_branch = e1 () => (float[2] w1) { w1 = Abs(x) }>
      y = Sub(a, b)
    }
  )", kPass, ""});
}

TEST(EliminateCommonSubexpressions, MergesEqualConstantsAndMultiOutputNodes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[4] x) => (float[2] y) {
      c1 = Constant<value = float[2] {1, 2}>()
      c2 = Constant<value = float[2] {1, 2}>()
      p, q = Split(x)
      r, s = Split(x)
      a = Mul(p, c1)
      b = Mul(r, c2)
      d = Sub(q, s)
      e = Add(a, b)
      y = Add(d, e)
    }
  )", {"eliminate-common-subexpressions"}, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[4] x) => (float[2] y) {
      c1 = Constant<value = float[2] {1, 2}>()
      p, q = Split(x)
      a = Mul(p, c1)
      d = Sub(q, q)
      e = Add(a, a)
      y = Add(d, e)
    }
  )"});
}

TEST(EliminateCommonSubexpressions, GraphOutputs) {
  // The later duplicate is a graph output: the kept node's output takes its name.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] z) {
      a = Relu(x)
      y = Relu(x)
      z = Neg(a)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] z) {
      y = Relu(x)
      z = Neg(y)
    }
  )"});
  // Both are graph outputs: both stay.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] z) {
      y = Relu(x)
      z = Relu(x)
    }
  )", kPass, ""});
}

TEST(EliminateCommonSubexpressions, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) { a = Relu(x)  b = Relu(x)  v = Add(a, b) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) { a = Relu(x)  v = Add(a, a) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )"});
}

TEST(EliminateCommonSubexpressions, KeepsOpsOfOtherDomains) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17, "com.example" : 1]>
    g (float[2] x) => (float[2] y) {
      a = com.example.Sample(x)
      b = com.example.Sample(x)
      y = Sub(a, b)
    }
  )", kPass, "", std::nullopt, false});
}

}  // namespace
}  // namespace onnxkit::testing
