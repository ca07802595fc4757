#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-unsqueezes", "eliminate-dead-nodes"};

TEST(FuseConsecutiveUnsqueezes, AxesAttributeBeforeOpset13) {
  // x: [A, B] -> t = [1, A, B] -> y = [1, A, 1, B].
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,2,1,3] y) {
      t = Unsqueeze<axes = [0]>(x)
      y = Unsqueeze<axes = [2]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,2,1,3] y) {
      y = Unsqueeze<axes = [0, 2]>(x)
    }
  )"}), 1u);
}

TEST(FuseConsecutiveUnsqueezes, SecondInsertsBeforeTheFirstsDims) {
  // t = [2, 3, 1] (axis 2); y inserts at 0 and 1: [1, 1, 2, 3, 1]: t's axis 2 moved to 4.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[1,1,2,3,1] y)
    <int64[1] a1 = {2}, int64[2] a2 = {1, 0}>
    {
      t = Unsqueeze(x, a1)
      y = Unsqueeze(t, a2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[1,1,2,3,1] y)
    <int64[3] y_axes = {0, 1, 4}>
    {
      y = Unsqueeze(x, y_axes)
    }
  )"});
}

TEST(FuseConsecutiveUnsqueezes, NegativeAxesWithKnownRank) {
  // x rank 2; t rank 3 (-1 -> 2): [2, 3, 1]; y rank 4 (-4 -> 0): [1, 2, 3, 1].
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,2,3,1] y) {
      t = Unsqueeze<axes = [-1]>(x)
      y = Unsqueeze<axes = [-4]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,2,3,1] y) {
      y = Unsqueeze<axes = [0, 3]>(x)
    }
  )"});
}

TEST(FuseConsecutiveUnsqueezes, ScalarToRank3AndInnerValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float x) => (float[1,1,1] y)
    <int64[1] a = {0}>
    {
      t1 = Unsqueeze(x, a)
      t2 = Unsqueeze(t1, a)
      t3 = Unsqueeze(t2, a)
      y = Neg(t3)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float x) => (float[1,1,1] y)
    <int64[3] t3_axes = {0, 1, 2}>
    {
      t3 = Unsqueeze(x, t3_axes)
      y = Neg(t3)
    }
  )"});
}

TEST(FuseConsecutiveUnsqueezes, OpsetOneAndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2] x) => (float[1,2,1] y) {
      t = Unsqueeze<axes = [1]>(x)
      y = Unsqueeze<axes = [0]>(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2] x) => (float[1,2,1] y) {
      y = Unsqueeze<axes = [0, 2]>(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[2] x) => (float[1,2,1] y) {
      y = If(b) <then_branch = th () => (float[1,2,1] v) { t = Unsqueeze<axes = [0]>(x)  v = Unsqueeze<axes = [2]>(t) },
                  else_branch = el () => (float[1,2,1] w) { w = Unsqueeze<axes = [0, 2]>(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[2] x) => (float[1,2,1] y) {
      y = If(b) <then_branch = th () => (float[1,2,1] v) { v = Unsqueeze<axes = [0, 2]>(x) },
                  else_branch = el () => (float[1,2,1] w) { w = Unsqueeze<axes = [0, 2]>(x) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(FuseConsecutiveUnsqueezes, KeepsNegativeAxesOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] a) => (float[1,2,3,1] y) {
      x = Identity(a)
      t = Unsqueeze<axes = [-1]>(x)
      y = Unsqueeze<axes = [0]>(t)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveUnsqueezes, KeepsNonConstantAxesAndAMiddleUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] x, int64[1] a2) => (float[A,B,C] y)
    <int64[1] a1 = {0}>
    {
      t = Unsqueeze(x, a1)
      y = Unsqueeze(t, a2)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2] x) => (float[1,2,1] y, float[1,2] t) {
      t = Unsqueeze<axes = [0]>(x)
      y = Unsqueeze<axes = [2]>(t)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveUnsqueezes, KeepsRepeatedAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2] x) => (float[A,B,C] y) {
      t = Unsqueeze<axes = [0]>(x)
      y = Unsqueeze<axes = [1, 1]>(t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
