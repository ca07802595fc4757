#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-relu-clip", "eliminate-dead-nodes"};
// Values agree; only the sign of a zero may differ (Relu kernels differ there too).
const runtime::Tolerance kExact{0, 0};

TEST(FuseReluClip, ReluThenClipRaisesANegativeMin) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float lo = {-1}, float hi = {6}>
    {
      t = Relu(x)
      y = Clip(t, lo, hi)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float hi = {6}, float y_min = {0}>
    {
      y = Clip(x, y_min, hi)
    }
  )", kExact}), 2u);  // the Relu, then the old min
}

TEST(FuseReluClip, ReluThenClipKeepsAPositiveMin) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float lo = {0.5}, float hi = {6}>
    {
      t = Relu(x)
      y = Clip(t, lo, hi)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float lo = {0.5}, float hi = {6}>
    {
      y = Clip(x, lo, hi)
    }
  )", kExact});
}

TEST(FuseReluClip, ReluThenClipWithoutBounds) {
  // An absent min counts as -inf: the merged Clip needs min 0. The max stays absent.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y) {
      t = Relu(x)
      y = Clip(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float y_min = {0}>
    {
      y = Clip(x, y_min)
    }
  )", kExact});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float hi = {6}>
    {
      t = Relu(x)
      y = Clip(t, , hi)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float hi = {6}, float y_min = {0}>
    {
      y = Clip(x, y_min, hi)
    }
  )", kExact});
}

TEST(FuseReluClip, ClipThenRelu) {
  // ReLU6 written as Clip(-1, 6) then Relu: min becomes 0, max stays 6.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float lo = {-1}, float hi = {6}>
    {
      t = Clip(x, lo, hi)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float hi = {6}, float t_min = {0}>
    {
      y = Clip(x, t_min, hi)
    }
  )", kExact});
}

TEST(FuseReluClip, ClipThenReluWithANegativeMax) {
  // Relu(Clip(x, -5, -1)) is 0 everywhere, and so is Clip(x, 0, 0).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float lo = {-5}, float hi = {-1}>
    {
      t = Clip(x, lo, hi)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y)
    <float t_min = {0}, float t_max = {0}>
    {
      y = Clip(x, t_min, t_max)
    }
  )", kExact});
}

TEST(FuseReluClip, ClipThenReluInnerValueAndIntegers) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (int32[8] x) => (int32[8] y)
    <int32 lo = {-3}, int32 hi = {5}>
    {
      t = Clip(x, lo, hi)
      r = Relu(t)
      y = Neg(r)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (int32[8] x) => (int32[8] y)
    <int32 hi = {5}, int32 t_min = {0}>
    {
      r = Clip(x, t_min, hi)
      y = Neg(r)
    }
  )"});
}

TEST(FuseReluClip, AttributeBoundsBeforeOpset11) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[8] x) => (float[8] y) {
      t = Relu(x)
      y = Clip<min = -1.0, max = 6.0>(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[8] x) => (float[8] y) {
      y = Clip<min = 0.0, max = 6.0>(x)
    }
  )", kExact});
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[8] x) => (float[8] y) {
      t = Clip<max = -2.0>(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[8] x) => (float[8] y) {
      y = Clip<max = 0.0, min = 0.0>(x)
    }
  )", kExact});
}

TEST(FuseReluClip, ConstantNodeBoundsAndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[8] x) => (float[8] y) {
      y = If(b) <then_branch = th () => (float[8] v) {
                    lo = Constant<value = float {2}>()
                    t = Relu(x)
                    v = Clip(t, lo)
                  },
                  else_branch = el () => (float[8] w) { w = Relu(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[8] x) => (float[8] y) {
      y = If(b) <then_branch = th () => (float[8] v) {
                    lo = Constant<value = float {2}>()
                    v = Clip(x, lo)
                  },
                  else_branch = el () => (float[8] w) { w = Relu(x) }>
    }
  )", kExact});
}

// ----- Does not apply -----

TEST(FuseReluClip, KeepsAMiddleUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y, float[8] t)
    <float lo = {-1}, float hi = {6}>
    {
      t = Relu(x)
      y = Clip(t, lo, hi)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x) => (float[8] y, float[8] z)
    <float lo = {-1}, float hi = {6}>
    {
      t = Clip(x, lo, hi)
      y = Relu(t)
      z = Neg(t)
    }
  )", kPass, ""});
}

TEST(FuseReluClip, KeepsNonConstantBounds) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] x, float hi) => (float[8] y)
    <float lo = {-1}>
    {
      t = Relu(x)
      y = Clip(t, lo, hi)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseReluClip, KeepsWhenTheTypeOfANewBoundIsUnknown) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[8] a) => (float[8] y) {
      x = Identity(a)
      t = Relu(x)
      y = Clip(t)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
