#include <gtest/gtest.h>

#include <limits>

#include "ir/pattern.h"
#include "passes/pass_manager.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-pad-into-conv"};
const std::vector<std::string> kPassAndCleanup = {"fuse-pad-into-conv", "eliminate-dead-nodes"};

// x: [1, 1, 4, 4]; W: [1, 1, 2, 2].
TEST(FusePadIntoConv, PadsInputOpset13) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,4,4] x) => (float[1,1,5,7] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[8] pads = {0, 0, 1, 2, 0, 0, 1, 2}>
    {
      p = Pad(x, pads)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,4,4] x) => (float[1,1,5,7] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = Conv<kernel_shape = [2, 2], pads = [1, 2, 1, 2]>(x, W)
    }
  )"}), 2u);  // the Pad, then its pads constant
}

TEST(FusePadIntoConv, AddsToExistingPadsWithExplicitZeroValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,4,4] x) => (float[1,1,8,6] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[8] pads = {0, 0, 2, 0, 0, 0, 1, 1}, float zero = {0}>
    {
      p = Pad<mode = "constant">(x, pads, zero)
      y = Conv<kernel_shape = [2, 2], pads = [1, 1, 1, 0], strides = [1, 1]>(p, W)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,4,4] x) => (float[1,1,8,6] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = Conv<kernel_shape = [2, 2], pads = [3, 1, 2, 1], strides = [1, 1]>(x, W)
    }
  )"});
}

TEST(FusePadIntoConv, AxesInputOpset18) {
  // axes [2, 3]: pads = [h_begin, w_begin, h_end, w_end]; a negative axis counts from the back.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[1,1,4,4] x) => (float[1,1,4,6] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[4] pads = {1, 1, 0, 2}, int64[2] axes = {2, 3}>
    {
      p = Pad(x, pads, , axes)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[1,1,4,4] x) => (float[1,1,4,6] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = Conv<kernel_shape = [2, 2], pads = [1, 1, 0, 2]>(x, W)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[1,1,4,4] x) => (float[1,1,3,6] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[2] pads = {2, 1}, int64[1] axes = {-1}>
    {
      p = Pad(x, pads, , axes)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[1,1,4,4] x) => (float[1,1,3,6] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = Conv<kernel_shape = [2, 2], pads = [0, 2, 0, 1]>(x, W)
    }
  )"});
}

TEST(FusePadIntoConv, AttributeFormsBeforeOpset11) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 10]>
    g (float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      p = Pad<pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 0.0>(x)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 10]>
    g (float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = Conv<kernel_shape = [2, 2], pads = [1, 1, 1, 1]>(x, W)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      p = Pad<paddings = [0, 0, 1, 1, 0, 0, 1, 1]>(x)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = Conv<kernel_shape = [2, 2], pads = [1, 1, 1, 1]>(x, W)
    }
  )"});
}

TEST(FusePadIntoConv, AveragePoolCountingPads) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x) => (float[1,2,5,5] y)
    <int64[8] pads = {0, 0, 1, 1, 0, 0, 1, 1}>
    {
      p = Pad(x, pads)
      y = AveragePool<kernel_shape = [2, 2], count_include_pad = 1>(p)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x) => (float[1,2,5,5] y)
    {
      y = AveragePool<kernel_shape = [2, 2], count_include_pad = 1, pads = [1, 1, 1, 1]>(x)
    }
  )"});
}

TEST(FusePadIntoConv, OneDimensionalConvAndGraphOutputName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,5] x) => (float[1,1,7] y)
    <float[1,1,3] W = {1, 2, 3}, int64[6] pads = {0, 0, 2, 0, 0, 2}>
    {
      p = Pad(x, pads)
      c = Conv<kernel_shape = [3]>(p, W)
      y = Relu(c)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,5] x) => (float[1,1,7] y)
    <float[1,1,3] W = {1, 2, 3}>
    {
      c = Conv<kernel_shape = [3], pads = [2, 2]>(x, W)
      y = Relu(c)
    }
  )"});
}

TEST(FusePadIntoConv, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[8] pads = {0, 0, 1, 1, 0, 0, 1, 1}>
    {
      y = If(b) <then_branch = t () => (float[1,1,5,5] v) { p = Pad(x, pads)  v = Conv<kernel_shape = [2, 2]>(p, W) },
                  else_branch = e () => (float[1,1,5,5] w) { w = Conv<kernel_shape = [2, 2], pads = [1, 1, 1, 1]>(x, W) }>
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}>
    {
      y = If(b) <then_branch = t () => (float[1,1,5,5] v) { v = Conv<kernel_shape = [2, 2], pads = [1, 1, 1, 1]>(x, W) },
                  else_branch = e () => (float[1,1,5,5] w) { w = Conv<kernel_shape = [2, 2], pads = [1, 1, 1, 1]>(x, W) }>
    }
  )"});
}

// ----- MaxPool: only a -inf Pad, which text cannot spell: the value is set after parsing -----

struct MaxPoolResult {
  size_t rewrites = 0;
  std::string comparison;  // CompareOnRuntime's verdict
  std::string pool_pads;   // the MaxPool's pads afterwards
};

MaxPoolResult RunWithPadValue(std::string_view text, float value) {
  auto original = ParseModel(text);
  auto model = ParseModel(text);
  for (Model* m : {original.get(), model.get()})
    for (Value* v : m->graph().initializers())
      if (v->name() == "value") m->graph().setInitializer(v, Tensor::FromValues<float>(DataType::kFloat, {}, std::span(&value, 1)));
  PassManager manager;
  EXPECT_TRUE(manager.addGroup(kPass).ok());
  auto rewrites = manager.run(*model);
  EXPECT_TRUE(rewrites.ok());
  MaxPoolResult result;
  result.rewrites = rewrites.ok() ? *rewrites : 0;
  result.comparison = CompareOnRuntime(*original, *model, std::nullopt);
  for (Node* node : model->graph().nodes())
    if (node->is("MaxPool")) result.pool_pads = fmt::format("{}", fmt::join(node->getInts("pads").value_or(std::vector<int64_t>{}), ","));
  return result;
}

constexpr const char* kMaxPoolModel = R"(
  <ir_version: 8, opset_import: ["" : 13]>
  g (float[1,2,4,4] x) => (float[1,2,{}] y)
  <int64[8] pads = {{0, 0, {}}}, float value = {{0}}>
  {{
    p = Pad(x, pads, value)
    y = MaxPool<kernel_shape = [2, 2]{}>(p)
  }}
)";

TEST(FusePadIntoConv, MaxPoolWithMinusInfinity) {
  auto result = RunWithPadValue(fmt::format(kMaxPoolModel, "5,5", "1, 1, 0, 0, 1, 1", ""), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(result.rewrites, 1u);
  EXPECT_EQ(result.comparison, "");
  EXPECT_EQ(result.pool_pads, "1,1,1,1");
}

TEST(FusePadIntoConv, MaxPoolKeepsOtherValuesAndLargePads) {
  // Zero padding can become a window's maximum where x < 0.
  auto zero = RunWithPadValue(fmt::format(kMaxPoolModel, "5,5", "1, 1, 0, 0, 1, 1", ""), 0.0f);
  EXPECT_EQ(zero.rewrites, 0u);
  auto lowest = RunWithPadValue(fmt::format(kMaxPoolModel, "5,5", "1, 1, 0, 0, 1, 1", ""), std::numeric_limits<float>::lowest());
  EXPECT_EQ(lowest.rewrites, 0u);
  // Pads as large as the kernel: a window of padding only.
  auto large = RunWithPadValue(fmt::format(kMaxPoolModel, "7,5", "2, 1, 0, 0, 2, 1", ""), -std::numeric_limits<float>::infinity());
  EXPECT_EQ(large.rewrites, 0u);
  // ceil_mode, dilations.
  auto ceil = RunWithPadValue(fmt::format(kMaxPoolModel, "5,5", "1, 1, 0, 0, 1, 1", ", ceil_mode = 1"),
                              -std::numeric_limits<float>::infinity());
  EXPECT_EQ(ceil.rewrites, 0u);
  auto dilated = RunWithPadValue(fmt::format(kMaxPoolModel, "4,4", "1, 1, 0, 0, 1, 1", ", dilations = [2, 2]"),
                                 -std::numeric_limits<float>::infinity());
  EXPECT_EQ(dilated.rewrites, 0u);
}

TEST(FusePadIntoConv, MaxPoolKeepsIndices) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x) => (float[1,2,5,5] y, int64[1,2,5,5] i)
    <int64[8] pads = {0, 0, 1, 1, 0, 0, 1, 1}, float value = {0}>
    {
      p = Pad(x, pads, value)
      y, i = MaxPool<kernel_shape = [2, 2]>(p)
    }
  )");
  float minus_infinity = -std::numeric_limits<float>::infinity();
  for (Value* v : model->graph().initializers())
    if (v->name() == "value")
      model->graph().setInitializer(v, Tensor::FromValues<float>(DataType::kFloat, {}, std::span(&minus_infinity, 1)));
  PassManager manager;
  ASSERT_TRUE(manager.addGroup(kPass).ok());
  EXPECT_EQ(*manager.run(*model), 0u);
}

// ----- Does not apply -----

std::string ConvModel(std::string_view pad, std::string_view conv = "Conv<kernel_shape = [2, 2]>", std::string_view opset = "13",
                      std::string_view extra = "") {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g (float[1,1,4,4] x{}) => (float[1,1,N,M] y)
    <float[1,1,2,2] W = {{1, 2, 3, 4}}, int64[8] pads = {{0, 0, 1, 1, 0, 0, 1, 1}}, float one = {{1}},
     float negative_zero = {{-0.0}}, int64[8] channel_pads = {{0, 1, 1, 1, 0, 0, 1, 1}},
     int64[8] crop = {{0, 0, -1, 0, 0, 0, 0, 0}}>
    {{
      {}
      y = {}(p, W)
    }}
  )", opset, extra, pad, conv);
}

TEST(FusePadIntoConv, KeepsNonZeroValuesAndOtherModes) {
  CheckPassCase({ConvModel("p = Pad(x, pads, one)"), kPass, ""});
  CheckPassCase({ConvModel("p = Pad(x, pads, negative_zero)"), kPass, ""});
  CheckPassCase({ConvModel("p = Pad<mode = \"reflect\">(x, pads)"), kPass, ""});
  CheckPassCase({ConvModel("p = Pad<mode = \"edge\">(x, pads)"), kPass, ""});
  CheckPassCase({ConvModel("p = Pad<pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 1.0>(x)", "Conv<kernel_shape = [2, 2]>", "10"),
                 kPass, ""});
}

TEST(FusePadIntoConv, KeepsBatchOrChannelPaddingAndCropping) {
  CheckPassCase({ConvModel("p = Pad(x, channel_pads)", "Conv<kernel_shape = [2, 2]>"), kPass, "", std::nullopt,
                 /*run_numerically=*/false});  // 2 channels do not fit W
  CheckPassCase({ConvModel("p = Pad(x, crop)"), kPass, ""});
}

TEST(FusePadIntoConv, KeepsNonConstantPads) {
  CheckPassCase({ConvModel("p = Pad(x, q)", "Conv<kernel_shape = [2, 2]>", "13", ", int64[8] q"), kPass, "",
                 std::nullopt, /*run_numerically=*/false});
  CheckPassCase({ConvModel("p = Pad(x, pads, v)", "Conv<kernel_shape = [2, 2]>", "13", ", float v"), kPass, ""});
}

TEST(FusePadIntoConv, KeepsAutoPadAndConvTranspose) {
  CheckPassCase({ConvModel("p = Pad(x, pads)", "Conv<kernel_shape = [2, 2], auto_pad = \"SAME_UPPER\">"), kPass, ""});
  CheckPassCase({ConvModel("p = Pad(x, pads)", "Conv<kernel_shape = [2, 2], auto_pad = \"VALID\">"), kPass, ""});
  CheckPassCase({ConvModel("p = Pad(x, pads)", "ConvTranspose<kernel_shape = [2, 2]>"), kPass, ""});
}

TEST(FusePadIntoConv, KeepsAPadUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,4,4] x) => (float[1,1,5,5] y, float[1,1,6,6] p)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[8] pads = {0, 0, 1, 1, 0, 0, 1, 1}>
    {
      p = Pad(x, pads)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPass, ""});
  // Pad output as the Conv's weight, not its data.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,1,4,4] x, float[1,1,1,1] w) => (float[1,1,3,3] y)
    <int64[8] pads = {0, 0, 0, 0, 0, 0, 1, 1}>
    {
      p = Pad(w, pads)
      y = Conv(x, p)
    }
  )", kPass, ""});
}

TEST(FusePadIntoConv, KeepsAveragePoolThatExcludesPadsOrHasCeilMode) {
  for (const char* attributes : {"", ", count_include_pad = 0", ", count_include_pad = 1, ceil_mode = 1"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[1,2,4,4] x) => (float[1,2,N,M] y)
      <int64[8] pads = {{0, 0, 1, 1, 0, 0, 1, 1}}>
      {{
        p = Pad(x, pads)
        y = AveragePool<kernel_shape = [2, 2]{}>(p)
      }}
    )", attributes), kPass, ""});
  }
  // Pads as large as the kernel (ONNX Runtime rejects such pool pads).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x) => (float[1,2,N,M] y)
    <int64[8] pads = {0, 0, 2, 0, 0, 0, 0, 0}>
    {
      p = Pad(x, pads)
      y = AveragePool<kernel_shape = [2, 2], count_include_pad = 1>(p)
    }
  )", kPass, ""});
}

TEST(FusePadIntoConv, KeepsOtherDomains) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13, "custom" : 1]>
    g (float[1,1,4,4] x) => (float[1,1,5,5] y)
    <float[1,1,2,2] W = {1, 2, 3, 4}, int64[8] pads = {0, 0, 1, 1, 0, 0, 1, 1}>
    {
      p = custom.Pad(x, pads)
      y = Conv<kernel_shape = [2, 2]>(p, W)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
