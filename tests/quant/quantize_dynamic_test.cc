// Dynamic quantization (passes/quant/quantize_dynamic.h): MatMul and Gemm with constant weights
// become DynamicQuantizeLinear + MatMulInteger + rescale; checked structurally and numerically.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "ir/onnx_export.h"
#include "ir/pattern.h"
#include "ir/verifier.h"
#include "passes/quant/quantize_dynamic.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"
#include "tests/quant/quant_test_util.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

using onnxkit::testing::ParseModel;
using onnxkit::testing::OnnxCheckerProblem;

constexpr const char* kTwoProjections = R"(
  <ir_version: 8, opset_import: ["" : 13]>
  g (float[3,4] x) => (float[3,3] q, float[3,2] k)
  <float[4,3] Wq = {0.2, -0.5, 1.0, 0.3, 0.8, -0.1, -0.7, 0.4, 0.05, 0.6, -0.2, 0.9},
   float[2,4] Wk = {0.1, 0.2, 0.3, 0.4, -1.0, 0.5, 0.25, -0.125}, float[2] bk = {0.5, -0.5}>
  {
    q = MatMul(x, Wq)
    k = Gemm<transB = 1, alpha = 0.5, beta = 2.0>(x, Wk, bk)
  }
)";

TEST(QuantizeDynamic, MatMulAndGemmStructure) {
  auto model = ParseModel(kTwoProjections);
  DynamicReport report;
  ASSERT_TRUE(QuantizeDynamic(*model, DynamicOptions{}, &report).ok());
  EXPECT_EQ(report.quantized_nodes, 2u);
  Status verified = VerifyModel(*model);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  auto counts = OpCounts(*model);
  EXPECT_EQ(counts["DynamicQuantizeLinear"], 1);  // shared by both projections of x
  EXPECT_EQ(counts["MatMulInteger"], 2);
  EXPECT_EQ(counts["MatMul"], 0);
  EXPECT_EQ(counts["Gemm"], 0);
  EXPECT_EQ(counts["Add"], 1);  // Gemm's bias
  for (const Node* node : model->graph().nodes()) {
    if (node->opType() != "MatMulInteger") continue;
    EXPECT_EQ(node->inputCount(), 3u);  // symmetric weights: no b_zero_point
    TensorPtr w = ConstantTensor(node->input(1));
    ASSERT_TRUE(w);
    EXPECT_EQ(w->dtype(), DataType::kInt8);
    EXPECT_EQ(w->dims()[0], 4);  // [K, N]: Gemm's B was transposed
  }
  EXPECT_EQ(model->graph().outputs()[0]->name(), "q");
  EXPECT_EQ(model->graph().outputs()[1]->name(), "k");
}

TEST(QuantizeDynamic, MatchesFloatModel) {
  auto float_model = ParseModel(kTwoProjections);
  auto model = ParseModel(kTwoProjections);
  ASSERT_TRUE(QuantizeDynamic(*model).ok());
  std::vector<runtime::NamedTensor> feeds = {{"x", Uniform({3, 4}, -2, 2, 11)}};
  auto expected = RunModel(*float_model, feeds);
  auto actual = RunModel(*model, feeds);
  ASSERT_EQ(actual.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    // Error bound: input step 4/255 and weight step ~1/127 over K = 4 terms.
    auto cmp = runtime::CompareTensors(expected[i], actual[i], runtime::Tolerance{0, 0.08});
    EXPECT_TRUE(cmp.within_tolerance) << "output " << i << ": " << cmp.max_absolute_error;
    EXPECT_GT(cmp.cosine_similarity, 0.999);
  }
}

TEST(QuantizeDynamic, AsymmetricUint8WeightsPerTensor) {
  auto float_model = ParseModel(kTwoProjections);
  auto model = ParseModel(kTwoProjections);
  DynamicOptions options;
  options.per_channel = false;
  options.weight_type = QuantType::kUint8;
  options.symmetric_weights = false;
  ASSERT_TRUE(QuantizeDynamic(*model, options).ok());
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  for (const Node* node : model->graph().nodes())
    if (node->opType() == "MatMulInteger") {
      ASSERT_EQ(node->inputCount(), 4u);
      EXPECT_EQ(ConstantTensor(node->input(3))->dtype(), DataType::kUint8);
      EXPECT_EQ(ConstantTensor(node->input(3))->elementCount(), 1);
    }
  std::vector<runtime::NamedTensor> feeds = {{"x", Uniform({3, 4}, -2, 2, 12)}};
  auto expected = RunModel(*float_model, feeds);
  auto actual = RunModel(*model, feeds);
  ASSERT_EQ(actual.size(), 2u);
  for (size_t i = 0; i < 2; ++i)
    EXPECT_GT(runtime::CompareTensors(expected[i], actual[i], {}).cosine_similarity, 0.999);
}

TEST(QuantizeDynamic, ConvIntegerWhenAsked) {
  constexpr const char* kText = R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x) => (float[1,2,4,4] y)
    <float[2,2,3,3] W = {0.6, -1.0, 0.25, 2.0, 0.1, -0.3, 0.7, 0.2, -0.9, 0.4, 0.5, -0.6, 1.1, -0.2, 0.3, 0.8, -0.4, 0.05,
                         -0.5, 0.9, 0.35, -0.15, 0.45, 1.2, -0.8, 0.6, 0.1, 0.25, -0.7, 0.3, 0.55, -0.05, 0.9, -1.1, 0.2, 0.4},
     float[2] B = {0.1, -0.2}>
    { y = Conv<kernel_shape = [3, 3], pads = [1, 1, 1, 1]>(x, W, B) }
  )";
  auto untouched = ParseModel(kText);
  ASSERT_TRUE(QuantizeDynamic(*untouched).ok());
  EXPECT_EQ(OpCounts(*untouched)["Conv"], 1);  // not by default

  auto float_model = ParseModel(kText);
  auto model = ParseModel(kText);
  DynamicOptions options;
  options.op_types.insert("Conv");
  options.weight_type = QuantType::kUint8;  // what ONNX Runtime's ConvInteger takes
  options.symmetric_weights = false;
  ASSERT_TRUE(QuantizeDynamic(*model, options).ok());
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  Status verified = VerifyModel(*model);
  EXPECT_TRUE(verified.ok()) << verified.message();
  auto counts = OpCounts(*model);
  EXPECT_EQ(counts["ConvInteger"], 1);
  EXPECT_EQ(counts["Conv"], 0);
  std::vector<runtime::NamedTensor> feeds = {{"x", Uniform({1, 2, 4, 4}, -1, 1, 21)}};
  auto expected = RunModel(*float_model, feeds);
  auto actual = RunModel(*model, feeds);
  ASSERT_EQ(actual.size(), 1u);
  auto cmp = runtime::CompareTensors(expected[0], actual[0], runtime::Tolerance{0, 0.1});
  EXPECT_TRUE(cmp.within_tolerance) << cmp.max_absolute_error;
  EXPECT_GT(cmp.cosine_similarity, 0.999);
}

TEST(QuantizeDynamic, LeavesActivationProductsAndExcludedNodes) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,2] x, float[2,2] u) => (float[2,2] y, float[2,2] z)
    <float[2,2] W = {1, 2, 3, 4}>
    {
      y = MatMul(x, u)
      z = MatMul(x, W)
    }
  )");
  DynamicOptions options;
  DynamicReport report;
  ASSERT_TRUE(QuantizeDynamic(*model, options, &report).ok());
  EXPECT_EQ(report.quantized_nodes, 1u);
  EXPECT_EQ(OpCounts(*model)["MatMul"], 1);

  auto old = ParseModel(R"(
    <ir_version: 5, opset_import: ["" : 10]>
    g (float[2,2] x) => (float[2,2] z)
    <float[2,2] W = {1, 2, 3, 4}>
    { z = MatMul(x, W) }
  )");
  Status status = QuantizeDynamic(*old);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("opset >= 11"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace onnxkit::quant
