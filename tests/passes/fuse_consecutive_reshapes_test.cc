#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-reshapes"};
const std::vector<std::string> kPassAndCleanup = {"fuse-consecutive-reshapes", "eliminate-dead-nodes"};

TEST(FuseConsecutiveReshapes, KeepsTheLastShape) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[4,6] y)
    <int64[2] s1 = {6, 4}, int64[2] s2 = {4, -1}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[4,6] y)
    <int64[2] s2 = {4, -1}>
    {
      y = Reshape(x, s2)
    }
  )"}), 2u);  // the first Reshape, then its shape constant
}

TEST(FuseConsecutiveReshapes, FirstShapeNeedNotBeConstant) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, int64[2] s1) => (float[24] y)
    <int64[1] s2 = {24}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, int64[2] s1) => (float[24] y)
    <int64[1] s2 = {24}>
    {
      y = Reshape(x, s2)
    }
  )", std::nullopt, /*run_numerically=*/false});  // s1 is an input the random data cannot fit
}

TEST(FuseConsecutiveReshapes, FlattenThenReshape) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,8] y)
    <int64[2] s = {3, 8}>
    {
      t = Flatten<axis = 2>(x)
      y = Reshape(t, s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,8] y)
    <int64[2] s = {3, 8}>
    {
      y = Reshape(x, s)
    }
  )"});
}

TEST(FuseConsecutiveReshapes, ZeroWithAllowZeroIsALiteral) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,0,4] x) => (float[0,5] y)
    <int64[2] s1 = {8, 0}, int64[2] s2 = {0, 5}>
    {
      t = Reshape<allowzero = 1>(x, s1)
      y = Reshape<allowzero = 1>(t, s2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,0,4] x) => (float[0,5] y)
    <int64[2] s1 = {8, 0}, int64[2] s2 = {0, 5}>
    {
      y = Reshape<allowzero = 1>(x, s2)
    }
  )"});
}

TEST(FuseConsecutiveReshapes, ChainsBranchesAndConstantNodes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[24] y, float[4,6] z)
    <int64[2] s1 = {6, 4}, int64[3] s2 = {4, 3, 2}, int64[2] s4 = {4, 6}>
    {
      s3 = Constant<value = int64[1] {24}>()
      t1 = Reshape(x, s1)
      t2 = Reshape(t1, s2)
      y = Reshape(t2, s3)
      z = Reshape(t1, s4)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[24] y, float[4,6] z)
    <int64[2] s4 = {4, 6}>
    {
      s3 = Constant<value = int64[1] {24}>()
      y = Reshape(x, s3)
      z = Reshape(x, s4)
    }
  )"});
}

TEST(FuseConsecutiveReshapes, ShapeAttributeBeforeOpset5) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 4]>
    g (float[2,3,4] x) => (float[4,6] y)
    {
      t = Reshape<shape = [6, 4]>(x)
      y = Reshape<shape = [4, -1]>(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 4]>
    g (float[2,3,4] x) => (float[4,6] y)
    {
      y = Reshape<shape = [4, -1]>(x)
    }
  )"});
}

TEST(FuseConsecutiveReshapes, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool b, float[2,3,4] x) => (float[4,6] y)
    <int64[2] s1 = {6, 4}, int64[2] s2 = {4, 6}>
    {
      y = If(b) <then_branch = th () => (float[4,6] v) { t = Reshape(x, s1)  v = Reshape(t, s2) },
                  else_branch = el () => (float[4,6] w) { w = Reshape(x, s2) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool b, float[2,3,4] x) => (float[4,6] y)
    <int64[2] s1 = {6, 4}, int64[2] s2 = {4, 6}>
    {
      y = If(b) <then_branch = th () => (float[4,6] v) { v = Reshape(x, s2) },
                  else_branch = el () => (float[4,6] w) { w = Reshape(x, s2) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(FuseConsecutiveReshapes, KeepsAZeroThatCopiesFromTheMiddle) {
  // s2's 0 copies t's dim 0 (6), not x's (2).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[6,4] y)
    <int64[2] s1 = {6, 4}, int64[2] s2 = {0, -1}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[6,4] y)
    <int64[2] s1 = {6, 4}, int64[2] s2 = {0, -1}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveReshapes, KeepsNonConstantSecondShape) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, int64[2] s2) => (float[A,B] y)
    <int64[2] s1 = {6, 4}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConsecutiveReshapes, KeepsAMiddleUsedByOtherOps) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[24] y, float[6,4] z)
    <int64[2] s1 = {6, 4}, int64[1] s2 = {24}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
      z = Relu(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[24] y, float[6,4] t)
    <int64[2] s1 = {6, 4}, int64[1] s2 = {24}>
    {
      t = Reshape(x, s1)
      y = Reshape(t, s2)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveReshapes, KeepsReshapeThenFlatten) {
  // Flatten's result depends on its input's dims, not only on the element count.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x) => (float[6,4] y)
    <int64[2] s1 = {6, 4}>
    {
      t = Reshape(x, s1)
      y = Flatten(t)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
