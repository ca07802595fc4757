#include <gtest/gtest.h>

#include <limits>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-conv-mul", "eliminate-dead-nodes"};
const runtime::Tolerance kTolerance{1e-5, 1e-5};

// x: [1, 2, 3, 3]; W: 2 output channels, 1x1 kernel.
TEST(FuseConvMul, PerChannelFactorScalesWeightAndBias) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] B = {0.5, -1}, float[2,1,1] k = {10, -0.5}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W, B)
      y = Mul(c, k)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W__1 = {10, 20, -1.5, -2}, float[2] B__2 = {5, 0.5}>
    {
      y = Conv<kernel_shape = [1, 1]>(x, W__1, B__2)
    }
  )", kTolerance});
}

TEST(FuseConvMul, FactorFirstWithBatchDimAndNoBias) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[1,2,1,1] k = {2, 3}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Mul(k, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W__1 = {2, 4, 9, 12}>
    {
      y = Conv<kernel_shape = [1, 1]>(x, W__1)
    }
  )", kTolerance});
}

TEST(FuseConvMul, ScalarFactorAndGroupedConv) {
  // group = 2: W is [M = 2, C/group = 1, 1, 1]; the factor is per output channel all the same.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,1,1,1] W = {1, 2}, float[2] B = {1, 1}, float k = {0.5}>
    {
      c = Conv<kernel_shape = [1, 1], group = 2>(x, W, B)
      y = Mul(c, k)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,1,1,1] W__1 = {0.5, 1}, float[2] B__2 = {0.5, 0.5}>
    {
      y = Conv<kernel_shape = [1, 1], group = 2>(x, W__1, B__2)
    }
  )", kTolerance});
}

TEST(FuseConvMul, GraphOutputNameAndInnerValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {2, 3}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      m = Mul(c, k)
      y = Relu(m)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W__1 = {2, 4, 9, 12}>
    {
      m = Conv<kernel_shape = [1, 1]>(x, W__1)
      y = Relu(m)
    }
  )", kTolerance});
}

TEST(FuseConvMul, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {2, 3}>
    {
      y = If(b) <then_branch = t () => (float[1,2,3,3] v) {
                    c = Conv<kernel_shape = [1, 1]>(x, W)
                    v = Mul(c, k)
                  },
                  else_branch = e () => (float[1,2,3,3] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[1,2,3,3] x) => (float[1,2,3,3] y)
    {
      y = If(b) <then_branch = t () => (float[1,2,3,3] v) <float[2,2,1,1] W__1 = {2, 4, 9, 12}> {
                    v = Conv<kernel_shape = [1, 1]>(x, W__1)
                  },
                  else_branch = e () => (float[1,2,3,3] w) { w = Neg(x) }>
    }
  )", kTolerance});
}

// ----- Does not apply -----

TEST(FuseConvMul, KeepsFactorsThatAreNotPerChannel) {
  for (const char* k : {"float[2,2,1,1] k = {1, 2, 3, 4}", "float[1,1,2,1,1] k = {1, 2}", "float[2] k = {1, 2}",
                        "float[1,3] k = {1, 2, 3}", "float[3,1,1] k = {1, 2, 3}"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[1,2,3,3] x) => (float[1,2,3,3] y)
      <float[2,2,1,1] W = {{1, 2, 3, 4}}, {}>
      {{
        c = Conv<kernel_shape = [1, 1]>(x, W)
        y = Mul(c, k)
      }}
    )", k), kPass, "", std::nullopt, /*run_numerically=*/false});
  }
}

TEST(FuseConvMul, KeepsNonFiniteFactorsAndOverflows) {
  // W[0] * 1e30 overflows float.
  for (float factor : {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(), 1e30f}) {
    CheckPassCase({R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[1,2,3,3] x) => (float[1,2,3,3] y)
      <float[2,2,1,1] W = {1e10, 2, 3, 4}, float[2,1,1] k = {0, 1}>
      {
        c = Conv<kernel_shape = [1, 1]>(x, W)
        y = Mul(c, k)
      }
    )", kPass, "", std::nullopt, true, [factor](Model& model) { SetFloatInitializer(model, "k", {factor, 1}); }});
  }
}

TEST(FuseConvMul, KeepsASharedWeight) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y, float[1,2,3,3] z)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {2, 3}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Mul(c, k)
      z = Conv<kernel_shape = [1, 1]>(x, W)
    }
  )", kPass, ""});
}

TEST(FuseConvMul, KeepsNonConstantWeightFactorOrBias) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2,2,1,1] W) => (float[1,2,3,3] y)
    <float[2,1,1] k = {2, 3}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Mul(c, k)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2,1,1] k) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Mul(c, k)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2] B) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {2, 3}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W, B)
      y = Mul(c, k)
    }
  )", kPass, ""});
}

TEST(FuseConvMul, KeepsAConvWhoseOutputIsUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y, float[1,2,3,3] c)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {2, 3}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Mul(c, k)
    }
  )", kPass, ""});
}

TEST(FuseConvMul, KeepsOldBroadcastingMul) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Mul<broadcast = 1, axis = 1>(c, k)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
