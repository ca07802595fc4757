#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kDce = {"eliminate-dead-nodes"};

TEST(EliminateDeadNodes, RemovesUnusedChains) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
      a = Sigmoid(x)
      b = Neg(a)
    }
  )", kDce, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"}), 2u);  // two nodes
}

TEST(EliminateDeadNodes, KeepsEverythingLive) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] z) {
      a = Relu(x)
      y = Neg(a)
      z = Abs(a)
    }
  )", kDce, ""});
}

TEST(EliminateDeadNodes, KeepsANodeWithOneUsedOutput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[4] x) => (float[2] y) {
      y, unused = Split<num_outputs = 2>(x)
    }
  )", kDce, ""});
}

TEST(EliminateDeadNodes, RemovesUnusedInitializersAndValueInfo) {
  auto model_text = R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y)
    <float[2] w = {1, 2}, float[2] unused = {3, 4}, float[2] t>
    {
      y = Add(x, w)
      t = Neg(x)
    }
  )";
  EXPECT_EQ(CheckPassCase({model_text, kDce, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y)
    <float[2] w = {1, 2}>
    {
      y = Add(x, w)
    }
  )"}), 2u);  // Neg (its output t goes with it, value_info included), the unused initializer
}

TEST(EliminateDeadNodes, DeadIfReleasesOuterValues) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = Relu(x)
      r = Sigmoid(x)
      d = If(c) <then_branch = t () => (float[2] v) { v = Neg(r) },
                  else_branch = e () => (float[2] w) { w = Abs(r) }>
    }
  )", kDce, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"}), 2u);  // If and Sigmoid
}

TEST(EliminateDeadNodes, LiveIfKeepsOuterValuesAndCleansItsBranches) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Sigmoid(x)
      y = If(c) <then_branch = t () => (float[2] v) { v = Neg(r)  dead = Abs(x) },
                  else_branch = e () => (float[2] w) { w = Abs(r) }>
    }
  )", kDce, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Sigmoid(x)
      y = If(c) <then_branch = t () => (float[2] v) { v = Neg(r) },
                  else_branch = e () => (float[2] w) { w = Abs(r) }>
    }
  )"});
}

// Found by fuzz/fuzz_optimize_model: a branch returning an outer value as its output did not make
// the If depend on it, so its producer was removed under the branch (an InternalError); the
// runner also runs both models, which needs the runtime to keep r alive until the If.
TEST(EliminateDeadNodes, BranchReturningAnOuterValueKeepsItsProducer) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(c) <then_branch = t () => (float[2] r) { dead = Sigmoid(x) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )", kDce, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(c) <then_branch = t () => (float[2] r) { },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )"}), 1u);  // the Sigmoid in the branch
}

TEST(EliminateDeadNodes, DeadIfReturningAnOuterValueReleasesIt) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = Abs(x)
      r = Relu(x)
      d = If(c) <then_branch = t () => (float[2] r) { },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )", kDce, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = Abs(x)
    }
  )"}), 2u);  // If and Relu
}

TEST(EliminateDeadNodes, KeepsGraphInputsEvenUnused) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] unused) => (float[2] y) {
      y = Relu(x)
    }
  )", kDce, ""});
}

}  // namespace
}  // namespace onnxkit::testing
