#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-squeezes", "eliminate-dead-nodes"};

TEST(FuseConsecutiveSqueezes, AxesAttributeBeforeOpset13) {
  // x: [2, 1, 3, 1, 4]: the first removes axis 1 -> [2, 3, 1, 4]; the second's axis 2 is x's 3.
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,1,3,1,4] x) => (float[2,3,4] y) {
      t = Squeeze<axes = [1]>(x)
      y = Squeeze<axes = [2]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,1,3,1,4] x) => (float[2,3,4] y) {
      y = Squeeze<axes = [1, 3]>(x)
    }
  )"}), 1u);
}

TEST(FuseConsecutiveSqueezes, AxesInputFromOpset13) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,1,3,1] x) => (float[2,3] y)
    <int64[2] a1 = {2, 0}, int64[1] a2 = {-1}>
    {
      t = Squeeze(x, a1)
      y = Squeeze(t, a2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,1,3,1] x) => (float[2,3] y)
    <int64[3] y_axes = {0, 2, 4}>
    {
      y = Squeeze(x, y_axes)
    }
  )"});
}

TEST(FuseConsecutiveSqueezes, NegativeAxesWithKnownRank) {
  // x rank 4: the first's -1 is axis 3; t has rank 3 and the second's -3 is t's 0 = x's 0.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,3,1] x) => (float[2,3] y) {
      t = Squeeze<axes = [-1]>(x)
      y = Squeeze<axes = [-3]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,3,1] x) => (float[2,3] y) {
      y = Squeeze<axes = [0, 3]>(x)
    }
  )"});
}

TEST(FuseConsecutiveSqueezes, SecondWithoutAxesSqueezesEverything) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,1,3] x) => (float[2,3] y)
    <int64[1] a1 = {0}>
    {
      t = Squeeze(x, a1)
      y = Squeeze(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,1,3] x) => (float[2,3] y)
    {
      y = Squeeze(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,1,3] x) => (float[2,3] y) {
      t = Squeeze(x)
      y = Squeeze(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,1,3] x) => (float[2,3] y) {
      y = Squeeze(x)
    }
  )"});
}

TEST(FuseConsecutiveSqueezes, ChainOfThreeAndInnerValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,1,2,1] x) => (float[2] y) {
      t1 = Squeeze<axes = [0]>(x)
      t2 = Squeeze<axes = [0]>(t1)
      t3 = Squeeze<axes = [1]>(t2)
      y = Neg(t3)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,1,2,1] x) => (float[2] y) {
      t3 = Squeeze<axes = [0, 1, 3]>(x)
      y = Neg(t3)
    }
  )"});
}

TEST(FuseConsecutiveSqueezes, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[1,2,1] x) => (float[2] y) {
      y = If(b) <then_branch = th () => (float[2] v) { t = Squeeze<axes = [0]>(x)  v = Squeeze<axes = [1]>(t) },
                  else_branch = el () => (float[2] w) { w = Squeeze<axes = [0, 2]>(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[1,2,1] x) => (float[2] y) {
      y = If(b) <then_branch = th () => (float[2] v) { v = Squeeze<axes = [0, 2]>(x) },
                  else_branch = el () => (float[2] w) { w = Squeeze<axes = [0, 2]>(x) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(FuseConsecutiveSqueezes, KeepsAFirstWithoutAxesBeforeExplicitAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,3] x) => (float[A] y) {
      t = Squeeze(x)
      y = Squeeze<axes = [0]>(t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});  // invalid anyway: nothing of size 1 left
}

TEST(FuseConsecutiveSqueezes, KeepsNegativeAxesOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,1] a) => (float[2] y) {
      x = Identity(a)
      t = Squeeze<axes = [-1]>(x)
      y = Squeeze<axes = [0]>(t)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveSqueezes, KeepsNonConstantOrEmptyAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,1] x, int64[1] a2) => (float[A] y)
    <int64[1] a1 = {0}>
    {
      t = Squeeze(x, a1)
      y = Squeeze(t, a2)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,1] x) => (float[A] y)
    <int64[1] a1 = {0}, int64[0] a2 = {}>
    {
      t = Squeeze(x, a1)
      y = Squeeze(t, a2)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConsecutiveSqueezes, KeepsAMiddleUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,2,1] x) => (float[2] y, float[2,1] t) {
      t = Squeeze<axes = [0]>(x)
      y = Squeeze<axes = [1]>(t)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
