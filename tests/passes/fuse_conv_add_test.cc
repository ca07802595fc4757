#include <gtest/gtest.h>

#include "ir/graph.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {

namespace {

const std::vector<std::string> kPass = {"fuse-conv-add", "eliminate-dead-nodes"};
const runtime::Tolerance kTolerance{1e-5, 1e-5};

// x: [1, 2, 3, 3]; W: 2 output channels, 1x1 kernel.
TEST(FuseConvAdd, PerChannelConstantIntoExistingBias) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] B = {0.5, -1}, float[2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W, B)
      y = Add(c, k)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] B__1 = {10.5, 19}>
    {
      y = Conv<kernel_shape = [1, 1]>(x, W, B__1)
    }
  )", kTolerance}), 3u);  // the fusion, then the Add's constant and the old bias
}

TEST(FuseConvAdd, ConstantFirstWithBatchDimAndNoBias) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[1,2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Add(k, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] c_bias = {10, 20}>
    {
      y = Conv<kernel_shape = [1, 1]>(x, W, c_bias)
    }
  )", kTolerance});
}

TEST(FuseConvAdd, ScalarAndSingleElementConstants) {
  for (const char* k : {"float k = {3}", "float[1] k = {3}", "float[1,1,1] k = {3}"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[1,2,3,3] x) => (float[1,2,3,3] y)
      <float[2,2,1,1] W = {{1, 2, 3, 4}}, float[2] B = {{0.5, -1}}, {}>
      {{
        c = Conv<kernel_shape = [1, 1]>(x, W, B)
        y = Add(c, k)
      }}
    )", k), kPass, R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[1,2,3,3] x) => (float[1,2,3,3] y)
      <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] B__1 = {3.5, 2}>
      {
        y = Conv<kernel_shape = [1, 1]>(x, W, B__1)
      }
    )", kTolerance});
  }
}

TEST(FuseConvAdd, ConstantNodeAndDoubleType) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (double[1,2,3] x) => (double[1,2,3] y)
    <double[2,2,1] W = {1, 2, 3, 4}>
    {
      k = Constant<value = double[2,1] {1.25, -2}>()
      c = Conv<kernel_shape = [1]>(x, W)
      y = Add(c, k)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (double[1,2,3] x) => (double[1,2,3] y)
    <double[2,2,1] W = {1, 2, 3, 4}, double[2] c_bias = {1.25, -2}>
    {
      y = Conv<kernel_shape = [1]>(x, W, c_bias)
    }
  )", kTolerance});
}

TEST(FuseConvAdd, WeightShapeFromDeclaredType) {
  // W is a graph input (not a constant): only its declared shape is needed.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2,2,1,1] W) => (float[1,2,3,3] y)
    <float[2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Add(c, k)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2,2,1,1] W) => (float[1,2,3,3] y)
    <float[2] c_bias = {10, 20}>
    {
      y = Conv<kernel_shape = [1, 1]>(x, W, c_bias)
    }
  )", kTolerance});
}

TEST(FuseConvAdd, InnerValueKeepsTheAddOutputName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      a = Add(c, k)
      y = Relu(a)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] c_bias = {10, 20}>
    {
      a = Conv<kernel_shape = [1, 1]>(x, W, c_bias)
      y = Relu(a)
    }
  )", kTolerance});
}

TEST(FuseConvAdd, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {10, 20}>
    {
      y = If(b) <then_branch = t () => (float[1,2,3,3] v) {
                    c = Conv<kernel_shape = [1, 1]>(x, W)
                    v = Add(c, k)
                  },
                  else_branch = e () => (float[1,2,3,3] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}>
    {
      y = If(b) <then_branch = t () => (float[1,2,3,3] v) <float[2] c_bias = {10, 20}> {
                    v = Conv<kernel_shape = [1, 1]>(x, W, c_bias)
                  },
                  else_branch = e () => (float[1,2,3,3] w) { w = Neg(x) }>
    }
  )", kTolerance});
}

// ----- Does not apply -----

std::string ConvAddModel(std::string_view constant, std::string_view extra_outputs = "",
                         std::string_view opset = "17") {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y{})
    <float[2,2,1,1] W = {{1, 2, 3, 4}}, float[2] B = {{0.5, -1}}, {}>
    {{
      c = Conv<kernel_shape = [1, 1]>(x, W, B)
      y = Add(c, k)
    }}
  )", opset, extra_outputs, constant);
}

TEST(FuseConvAdd, KeepsConstantsThatAreNotPerChannel) {
  // Varies along the batch axis, along space, or has a rank that grows the output.
  for (const char* k : {"float[2,2,1,1] k = {1, 2, 3, 4}", "float[2,3,3] k = {1,2,3,4,5,6,7,8,9,1,2,3,4,5,6,7,8,9}",
                        "float[1,1,2,1,1] k = {1, 2}", "float[2] k = {1, 2}", "float[2,1] k = {1, 2}",
                        "float[3,1,1] k = {1, 2, 3}"}) {
    CheckPassCase({ConvAddModel(k), kPass, "", std::nullopt, /*run_numerically=*/false});
  }
}

TEST(FuseConvAdd, KeepsAConvWhoseOutputIsUsedElsewhere) {
  CheckPassCase({ConvAddModel("float[2,1,1] k = {1, 2}", ", float[1,2,3,3] c"), kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y, float[1,2,3,3] z)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Add(c, k)
      z = Relu(c)
    }
  )", kPass, ""});
}

TEST(FuseConvAdd, KeepsNonConstantAddend) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2,1,1] k) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Add(c, k)
    }
  )", kPass, ""});
}

TEST(FuseConvAdd, KeepsNonConstantBias) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[2] B) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W, B)
      y = Add(c, k)
    }
  )", kPass, ""});
}

TEST(FuseConvAdd, KeepsWhenTheWeightShapeIsUnknown) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x, float[M,2,1,1] W) => (float[1,2,3,3] y)
    <float[2,1,1] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Add(c, k)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConvAdd, KeepsABiasThatWouldOverflow) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {0, 0, 0, 0}, float[2] B = {3e38, 0}, float[2,1,1] k = {3e38, 1}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W, B)
      y = Add(c, k)
    }
  )", kPass, ""});
}

TEST(FuseConvAdd, KeepsOldBroadcastingAdd) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2] k = {10, 20}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Add<broadcast = 1, axis = 1>(c, k)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConvAdd, KeepsOtherDomains) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17, "custom" : 1]>
    g (float[1,2,3,3] x) => (float[1,2,3,3] y)
    <float[2,2,1,1] W = {1, 2, 3, 4}, float[2,1,1] k = {10, 20}>
    {
      c = custom.Conv<kernel_shape = [1, 1]>(x, W)
      y = Add(c, k)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
