// Static QDQ quantization (passes/quant/quantize_static.h) on small text-format models: the
// nodes and initializers it writes, and the quantized model's outputs against the float model's
// on the bundled runtime.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "ir/onnx_export.h"
#include "ir/pattern.h"
#include "ir/verifier.h"
#include "passes/quant/quantize_static.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"
#include "tests/quant/quant_test_util.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

using onnxkit::testing::ParseModel;
using onnxkit::testing::OnnxCheckerProblem;

std::vector<const Node*> NodesOf(const Model& model, std::string_view op) {
  std::vector<const Node*> out;
  for (const Node* node : model.graph().nodes())
    if (node->opType() == op) out.push_back(node);
  return out;
}

void ExpectValid(const Model& model) {
  Status verified = VerifyModel(model);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_EQ(OnnxCheckerProblem(model), "");
}

constexpr const char* kConvRelu = R"(
  <ir_version: 8, opset_import: ["" : 13]>
  g (float[1,2,4,4] x) => (float[1,2,4,4] y)
  <float[2,2,1,1] W = {0.6, -1.0, 0.25, 2.0}, float[2] B = {0.1, -0.2}>
  {
    c = Conv<kernel_shape = [1, 1]>(x, W, B)
    y = Relu(c)
  }
)";

TEST(QuantizeStatic, ConvReluStructure) {
  auto model = ParseModel(kConvRelu);
  RangeTable ranges = {{"x", {-1, 2}}, {"c", {-3, 3}}, {"y", {0, 3}}};
  StaticReport report;
  ASSERT_TRUE(QuantizeStatic(*model, ranges, StaticOptions{}, &report).ok());
  ExpectValid(*model);
  EXPECT_EQ(report.absorbed_activations, 1u);
  auto counts = OpCounts(*model);
  EXPECT_EQ(counts["Relu"], 0);
  EXPECT_EQ(counts["QuantizeLinear"], 2);    // x and y
  EXPECT_EQ(counts["DequantizeLinear"], 4);  // x, y, W, B
  EXPECT_EQ(model->graph().outputs()[0]->name(), "y");
  EXPECT_EQ(model->graph().outputs()[0]->producer()->opType(), "DequantizeLinear");

  const Node* conv = NodesOf(*model, "Conv").at(0);
  // Input scale: int8 asymmetric over [-1, 2].
  const Node* x_dq = conv->input(0)->producer();
  ASSERT_EQ(x_dq->opType(), "DequantizeLinear");
  float sx = static_cast<float>(ConstantTensor(x_dq->input(1))->ElementAsDouble(0));
  EXPECT_FLOAT_EQ(sx, 3.0f / 255);
  EXPECT_EQ(ConstantTensor(x_dq->input(2))->ElementAsInt64(0), -43);  // round(-128 + 1 / (3/255))
  // Weight: int8 per output channel, symmetric.
  const Node* w_dq = conv->input(1)->producer();
  EXPECT_EQ(w_dq->getInt("axis", 1), 0);
  TensorPtr wq = ConstantTensor(w_dq->input(0));
  EXPECT_EQ(wq->dtype(), DataType::kInt8);
  EXPECT_EQ(wq->ToVector<int8_t>(), (std::vector<int8_t>{76, -127, 16, 127}));
  std::vector<float> sw = ConstantTensor(w_dq->input(1))->ToVector<float>();
  ASSERT_EQ(sw.size(), 2u);
  EXPECT_FLOAT_EQ(sw[0], 1.0f / 127);
  EXPECT_FLOAT_EQ(sw[1], 2.0f / 127);
  // Bias: int32, scale sx * sw[c], zero point 0 (left out).
  const Node* b_dq = conv->input(2)->producer();
  TensorPtr bq = ConstantTensor(b_dq->input(0));
  EXPECT_EQ(bq->dtype(), DataType::kInt32);
  std::vector<float> sb = ConstantTensor(b_dq->input(1))->ToVector<float>();
  EXPECT_FLOAT_EQ(sb[0], sx * sw[0]);
  EXPECT_FLOAT_EQ(sb[1], sx * sw[1]);
  std::vector<int32_t> bias = bq->ToVector<int32_t>();
  EXPECT_EQ(bias[0], static_cast<int32_t>(std::nearbyint(0.1 / sb[0])));
  EXPECT_EQ(bias[1], static_cast<int32_t>(std::nearbyint(-0.2 / sb[1])));
  EXPECT_EQ(b_dq->inputCount(), 2u);
  // Output: range of the Relu, [0, 3]: zero point -128.
  const Node* y_dq = model->graph().outputs()[0]->producer();
  EXPECT_FLOAT_EQ(static_cast<float>(ConstantTensor(y_dq->input(1))->ElementAsDouble(0)), 3.0f / 255);
  EXPECT_EQ(ConstantTensor(y_dq->input(2))->ElementAsInt64(0), -128);
  // The float weight and bias are gone; every float initializer is a scale.
  for (const Value* init : model->graph().initializers()) {
    EXPECT_NE(init->name(), "W");
    EXPECT_NE(init->name(), "B");
    if (init->initializer()->dtype() == DataType::kFloat) {
      for (const Use& use : init->uses()) EXPECT_EQ(use.input_index, 1u) << init->name();
    }
  }
}

TEST(QuantizeStatic, ConvReluNumerics) {
  auto float_model = ParseModel(kConvRelu);
  auto model = ParseModel(kConvRelu);
  std::vector<std::vector<runtime::NamedTensor>> calib;
  for (uint64_t seed = 1; seed <= 4; ++seed) calib.push_back({{"x", Uniform({1, 2, 4, 4}, -1, 1, seed)}});
  RangeTable ranges = CollectRanges(*float_model, calib);
  ASSERT_TRUE(QuantizeStatic(*model, ranges).ok());
  ExpectValid(*model);
  std::vector<runtime::NamedTensor> feeds = {{"x", Uniform({1, 2, 4, 4}, -1, 1, 99)}};
  auto expected = RunModel(*float_model, feeds);
  auto actual = RunModel(*model, feeds);
  ASSERT_EQ(actual.size(), 1u);
  double step = (ranges["y"].max - 0) / 255;
  auto cmp = runtime::CompareTensors(expected[0], actual[0], runtime::Tolerance{0, 3 * step});
  EXPECT_TRUE(cmp.within_tolerance) << "max abs error " << cmp.max_absolute_error << " step " << step;
  for (int64_t i = 0; i < actual[0].elementCount(); ++i) EXPECT_GE(actual[0].data<float>()[i], 0.0f);
}

// MatMul (constant weight, per column) → Reshape → Transpose → Softmax, and Add of two activations.
constexpr const char* kMatMulChain = R"(
  <ir_version: 8, opset_import: ["" : 13]>
  g (float[2,4] x, float[2,3] r) => (float[3,2] y, float[2,3] z)
  <float[4,3] W = {0.2, -0.5, 1.0, 0.3, 0.8, -0.1, -0.7, 0.4, 0.05, 0.6, -0.2, 0.9}, int64[2] shape = {2, 3}>
  {
    m = MatMul(x, W)
    s = Reshape(m, shape)
    t = Transpose<perm = [1, 0]>(s)
    y = Softmax<axis = 0>(t)
    z = Add(m, r)
  }
)";

TEST(QuantizeStatic, MatMulChainPropagatesThroughDataMovement) {
  auto float_model = ParseModel(kMatMulChain);
  auto model = ParseModel(kMatMulChain);
  std::vector<std::vector<runtime::NamedTensor>> calib;
  for (uint64_t seed = 1; seed <= 8; ++seed)
    calib.push_back({{"x", Uniform({2, 4}, -2, 2, seed)}, {"r", Uniform({2, 3}, -1, 1, seed + 100)}});
  RangeTable ranges = CollectRanges(*float_model, calib);
  StaticReport report;
  ASSERT_TRUE(QuantizeStatic(*model, ranges, StaticOptions{}, &report).ok());
  ExpectValid(*model);
  EXPECT_TRUE(report.skipped.empty());

  // The MatMul weight is per column (axis 1 of [K, N]).
  const Node* matmul = NodesOf(*model, "MatMul").at(0);
  const Node* w_dq = matmul->input(1)->producer();
  EXPECT_EQ(w_dq->getInt("axis", 1), 1);
  EXPECT_EQ(ConstantTensor(w_dq->input(1))->elementCount(), 3);
  // Reshape and Transpose: input and output quantized with the same scale / zero point values.
  for (const char* op : {"Reshape", "Transpose"}) {
    const Node* node = NodesOf(*model, op).at(0);
    const Node* in_dq = node->input(0)->producer();
    ASSERT_EQ(in_dq->opType(), "DequantizeLinear") << op;
    ASSERT_EQ(node->output(0)->uses().size(), 1u) << op;
    const Node* out_q = node->output(0)->uses()[0].user;
    ASSERT_EQ(out_q->opType(), "QuantizeLinear") << op;
    EXPECT_EQ(out_q->input(1), in_dq->input(1)) << op;  // the same shared initializers
    EXPECT_EQ(out_q->input(2), in_dq->input(2)) << op;
  }
  // One Q/DQ pair per tensor: x, r, m, s, t, y, z.
  auto counts = OpCounts(*model);
  EXPECT_EQ(counts["QuantizeLinear"], 7);
  EXPECT_EQ(counts["DequantizeLinear"], 8);

  // A calibration sample: no value outside its range, so the error is rounding only.
  std::vector<runtime::NamedTensor> feeds = calib[2];
  auto expected = RunModel(*float_model, feeds);
  auto actual = RunModel(*model, feeds);
  ASSERT_EQ(actual.size(), 2u);
  auto y = runtime::CompareTensors(expected[0], actual[0], runtime::Tolerance{0, 4.0 / 255});
  EXPECT_TRUE(y.within_tolerance) << y.max_absolute_error;
  double z_step = (ranges["z"].max - ranges["z"].min) / 255;
  auto z = runtime::CompareTensors(expected[1], actual[1], runtime::Tolerance{0, 4 * z_step});
  EXPECT_TRUE(z.within_tolerance) << z.max_absolute_error << " step " << z_step;
}

TEST(QuantizeStatic, GemmWeightAxisFollowsTransB) {
  for (int trans_b : {0, 1}) {
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[2,3] x) => (float[2,2] y)
      <float[{}] W = {{0.5, -0.25, 1.0, 2.0, -1.5, 0.75}}, float[2] B = {{0.3, -0.6}}>
      {{
        y = Gemm<transB = {}>(x, W, B)
      }}
    )", trans_b ? "2,3" : "3,2", trans_b);
    auto float_model = ParseModel(text);
    auto model = ParseModel(text);
    std::vector<std::vector<runtime::NamedTensor>> calib;
    for (uint64_t seed = 5; seed < 13; ++seed) calib.push_back({{"x", Uniform({2, 3}, -1, 1, seed)}});
    RangeTable ranges = CollectRanges(*float_model, calib);
    ASSERT_TRUE(QuantizeStatic(*model, ranges).ok());
    ExpectValid(*model);
    const Node* gemm = NodesOf(*model, "Gemm").at(0);
    EXPECT_EQ(gemm->input(1)->producer()->getInt("axis", 1), trans_b ? 0 : 1);
    const Node* b_dq = gemm->input(2)->producer();
    EXPECT_EQ(ConstantTensor(b_dq->input(0))->dtype(), DataType::kInt32);
    EXPECT_EQ(ConstantTensor(b_dq->input(1))->elementCount(), 2);
    std::vector<runtime::NamedTensor> feeds = calib[3];
    auto expected = RunModel(*float_model, feeds);
    auto actual = RunModel(*model, feeds);
    ASSERT_EQ(actual.size(), 1u);
    double step = (ranges["y"].max - std::min(0.0, ranges["y"].min)) / 255;
    auto cmp = runtime::CompareTensors(expected[0], actual[0], runtime::Tolerance{0, 6 * step});
    EXPECT_TRUE(cmp.within_tolerance) << "transB " << trans_b << ": " << cmp.max_absolute_error;
  }
}

// ConvTranspose weights [C, M, k, k] are per output channel along axis 1; Clip(0, 6) after it is
// absorbed like Relu.
TEST(QuantizeStatic, ConvTransposeAxisOneAndClipAbsorbed) {
  constexpr const char* kText = R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,3,3] x) => (float[1,3,4,4] y)
    <float[2,3,2,2] W = {0.5, -0.25, 1.0, 2.0, -1.5, 0.75, 0.1, 0.2, 0.3, -0.4, 0.6, -0.9,
                         0.7, 0.2, -0.3, 0.15, 1.2, -0.6, 0.05, 0.4, -0.8, 0.25, 0.35, 0.45},
     float[3] B = {0.1, 0.2, -0.3}, float lo = {0.0}, float hi = {6.0}>
    {
      c = ConvTranspose<kernel_shape = [2, 2]>(x, W, B)
      y = Clip(c, lo, hi)
    }
  )";
  auto float_model = ParseModel(kText);
  auto model = ParseModel(kText);
  std::vector<std::vector<runtime::NamedTensor>> calib;
  for (uint64_t seed = 1; seed <= 4; ++seed) calib.push_back({{"x", Uniform({1, 2, 3, 3}, -2, 2, seed)}});
  RangeTable ranges = CollectRanges(*float_model, calib);
  StaticReport report;
  ASSERT_TRUE(QuantizeStatic(*model, ranges, StaticOptions{}, &report).ok());
  ExpectValid(*model);
  EXPECT_EQ(report.absorbed_activations, 1u);
  EXPECT_EQ(OpCounts(*model)["Clip"], 0);
  const Node* deconv = NodesOf(*model, "ConvTranspose").at(0);
  const Node* w_dq = deconv->input(1)->producer();
  EXPECT_EQ(w_dq->getInt("axis", 0), 1);
  EXPECT_EQ(ConstantTensor(w_dq->input(1))->elementCount(), 3);
  EXPECT_EQ(ConstantTensor(deconv->input(2)->producer()->input(1))->elementCount(), 3);
  auto expected = RunModel(*float_model, calib[0]);
  auto actual = RunModel(*model, calib[0]);
  ASSERT_EQ(actual.size(), 1u);
  double step = ranges["y"].max / 255;
  auto cmp = runtime::CompareTensors(expected[0], actual[0], runtime::Tolerance{0, 3 * step});
  EXPECT_TRUE(cmp.within_tolerance) << cmp.max_absolute_error << " step " << step;
}

TEST(QuantizeStatic, Uint8SymmetricActivationsAndPerTensorWeights) {
  auto model = ParseModel(kConvRelu);
  RangeTable ranges = {{"x", {-1, 1}}, {"c", {-3, 3}}, {"y", {0, 3}}};
  StaticOptions options;
  options.activation_type = QuantType::kUint8;
  options.symmetric_activations = true;
  options.per_channel = false;
  StaticReport report;
  ASSERT_TRUE(QuantizeStatic(*model, ranges, options, &report).ok());
  ExpectValid(*model);
  EXPECT_EQ(report.absorbed_activations, 0u);  // a symmetric range cannot clip at 0
  EXPECT_EQ(OpCounts(*model)["Relu"], 1);
  const Node* conv = NodesOf(*model, "Conv").at(0);
  const Node* x_dq = conv->input(0)->producer();
  EXPECT_EQ(ConstantTensor(x_dq->input(2))->dtype(), DataType::kUint8);
  EXPECT_EQ(ConstantTensor(x_dq->input(2))->ElementAsInt64(0), 128);
  const Node* w_dq = conv->input(1)->producer();
  EXPECT_FALSE(w_dq->hasAttribute("axis"));
  EXPECT_EQ(ConstantTensor(w_dq->input(1))->elementCount(), 1);
  EXPECT_FLOAT_EQ(static_cast<float>(ConstantTensor(w_dq->input(1))->ElementAsDouble(0)), 2.0f / 127);
}

TEST(QuantizeStatic, ExcludedNodesAndMissingRangesStayFloat) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,2] x, float[2,2] u) => (float[2,2] y)
    <float[2,2] W = {1, 2, 3, 4}>
    {
      a = MatMul(x, W)
      b = Mul(a, u)
      y = Add(b, x)
    }
  )");
  // The Add has no range for its input b (calibration missed it); MatMul is excluded by op type.
  RangeTable ranges = {{"x", {-1, 1}}, {"a", {-10, 10}}, {"u", {0, 1}}, {"y", {-5, 5}}};
  StaticOptions options;
  options.exclude_op_types = {"MatMul"};
  StaticReport report;
  ASSERT_TRUE(QuantizeStatic(*model, ranges, options, &report).ok());
  ExpectValid(*model);
  EXPECT_EQ(report.quantized_nodes, 1u);  // only the Mul
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_NE(report.skipped[0].find("no range for input 'b'"), std::string::npos) << report.skipped[0];
  const Node* matmul = NodesOf(*model, "MatMul").at(0);
  EXPECT_EQ(ConstantTensor(matmul->input(1))->dtype(), DataType::kFloat);
}

TEST(QuantizeStatic, OpsetUpgradeAndRefusal) {
  auto upgradable = ParseModel(R"(
    <ir_version: 6, opset_import: ["" : 11]>
    g (float[1,2,4,4] x) => (float[1,2,4,4] y)
    <float[2,2,1,1] W = {0.5, -1.0, 0.25, 2.0}>
    { y = Conv<kernel_shape = [1, 1]>(x, W) }
  )");
  RangeTable ranges = {{"x", {-1, 1}}, {"y", {-3, 3}}};
  ASSERT_TRUE(QuantizeStatic(*upgradable, ranges).ok());
  EXPECT_EQ(upgradable->opsetVersion(""), 13);
  EXPECT_GE(upgradable->irVersion(), 7);
  ExpectValid(*upgradable);

  constexpr const char* kSoftmax11 = R"(
    <ir_version: 6, opset_import: ["" : 11]>
    g (float[1,2,4,4] x) => (float[1,2,4,4] y)
    <float[2,2,1,1] W = {0.5, -1.0, 0.25, 2.0}>
    {
      c = Conv<kernel_shape = [1, 1]>(x, W)
      y = Softmax(c)
    }
  )";
  auto refused = ParseModel(kSoftmax11);
  ranges["c"] = {-3, 3};
  ranges["y"] = {0, 1};
  Status status = QuantizeStatic(*refused, ranges);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("opset 13"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("Softmax"), std::string::npos) << status.message();
  EXPECT_EQ(refused->opsetVersion(""), 11);
  EXPECT_EQ(OpCounts(*refused)["QuantizeLinear"], 0);  // untouched

  auto per_tensor = ParseModel(kSoftmax11);
  StaticOptions options;
  options.per_channel = false;
  ASSERT_TRUE(QuantizeStatic(*per_tensor, ranges, options).ok());
  EXPECT_EQ(per_tensor->opsetVersion(""), 11);
  ExpectValid(*per_tensor);

  auto too_old = ParseModel(R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[2] x) => (float[2] y)
    { y = Sigmoid(x) }
  )");
  EXPECT_FALSE(QuantizeStatic(*too_old, {{"x", {-1, 1}}, {"y", {0, 1}}}).ok());
}

}  // namespace
}  // namespace onnxkit::quant
