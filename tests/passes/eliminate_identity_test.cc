#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kIdentity = {"eliminate-identity"};

TEST(EliminateIdentity, RemovesAnInnerIdentity) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      t = Identity(x)
      y = Relu(t)
    }
  )", kIdentity, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateIdentity, OutputIdentityGivesItsNameToTheProducer) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      t = Relu(x)
      y = Identity(t)
    }
  )", kIdentity, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateIdentity, KeepsIdentityBetweenGraphInputAndOutput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Identity(x)
    }
  )", kIdentity, ""});
}

TEST(EliminateIdentity, KeepsIdentityBetweenTwoGraphOutputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] a, float[2] b) {
      a = Relu(x)
      b = Identity(a)
    }
  )", kIdentity, ""});
}

TEST(EliminateIdentity, SubgraphOutputOfAnOuterValueKeepsIdentity) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(c) <then_branch = t () => (float[2] v) { v = Identity(r) },
                  else_branch = e () => (float[2] w) { w = Neg(r) }>
    }
  )", kIdentity, ""});
}

TEST(EliminateIdentity, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) { i = Identity(x)  v = Neg(i) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )", kIdentity, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) { v = Neg(x) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )"});
}

TEST(EliminateIdentity, InferenceDropoutOpset13) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) {
      t = Dropout(x)
      y = Relu(t)
    }
  )", kIdentity, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateIdentity, DropoutWithConstantFalseTrainingMode) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) <float ratio = {0.5}, bool training = {0}> {
      t = Dropout(x, ratio, training)
      y = Relu(t)
    }
  )", kIdentity, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) <float ratio = {0.5}, bool training = {0}> {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateIdentity, KeepsTrainingDropout) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x, bool training) => (float[2] y) <float ratio = {0.5}> {
      t = Dropout(x, ratio, training)
      y = Relu(t)
    }
  )", kIdentity, "", std::nullopt, /*run_numerically=*/false});  // training mode does not run
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) <float ratio = {0.5}, bool training = {1}> {
      t = Dropout(x, ratio, training)
      y = Relu(t)
    }
  )", kIdentity, "", std::nullopt, /*run_numerically=*/false});  // training mode does not run
}

TEST(EliminateIdentity, KeepsDropoutWhoseMaskIsUsed) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y, bool[2] m) {
      t, m = Dropout(x)
      y = Relu(t)
    }
  )", kIdentity, ""});
}

TEST(EliminateIdentity, OldDropoutNeedsIsTest) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[2] x) => (float[2] y) {
      t = Dropout<is_test = 0>(x)
      y = Relu(t)
    }
  )", kIdentity, ""});
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[2] x) => (float[2] y) {
      t = Dropout<is_test = 1>(x)
      y = Relu(t)
    }
  )", kIdentity, R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
