// QOperator lowering (passes/quant/qoperator_lowering.h) and the com.microsoft QLinear* reference
// kernels (runtime/kernels/contrib/qlinear_ops.cc): QDQ units become single quantized ops whose
// outputs agree with the QDQ model's within a quantization step.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "ir/pattern.h"
#include "ir/verifier.h"
#include "passes/quant/qoperator_lowering.h"
#include "passes/quant/quantize_static.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"
#include "tests/quant/quant_test_util.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

using onnxkit::testing::ParseModel;

// Quantizes `text` statically (ranges from `feeds`), lowers a copy, and compares the two on
// `feeds`: every output within `steps` quantization steps of the QDQ model's.
void CheckLowering(std::string_view text, const std::vector<runtime::NamedTensor>& feeds,
                   const std::map<std::string, int>& expected_ops, double steps) {
  auto float_model = ParseModel(text);
  RangeTable ranges = CollectRanges(*float_model, feeds);
  auto qdq = ParseModel(text);
  ASSERT_TRUE(QuantizeStatic(*qdq, ranges).ok());
  auto lowered = ParseModel(text);
  ASSERT_TRUE(QuantizeStatic(*lowered, ranges).ok());
  LoweringReport report;
  ASSERT_TRUE(LowerToQOperator(*lowered, &report).ok());
  Status verified = VerifyModel(*lowered);
  EXPECT_TRUE(verified.ok()) << verified.message();
  auto counts = OpCounts(*lowered);
  for (const auto& [op, count] : expected_ops) EXPECT_EQ(counts[op], count) << op;
  auto expected = RunModel(*qdq, feeds);
  auto actual = RunModel(*lowered, feeds);
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    const std::string& name = float_model->graph().outputs()[i]->name();
    const TensorRange& r = ranges.at(name);
    double step = (std::max(r.max, 0.0) - std::min(r.min, 0.0)) / 255;
    auto cmp = runtime::CompareTensors(expected[i], actual[i], runtime::Tolerance{0, steps * step + 1e-6});
    EXPECT_TRUE(cmp.within_tolerance) << name << ": max abs error " << cmp.max_absolute_error << ", step " << step;
  }
}

TEST(LowerToQOperator, ConvAndMatMul) {
  CheckLowering(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x) => (float[1,2,4,3] y)
    <float[2,2,3,3] W = {0.6, -1.0, 0.25, 2.0, 0.1, -0.3, 0.7, 0.2, -0.9, 0.4, 0.5, -0.6, 1.1, -0.2, 0.3, 0.8, -0.4, 0.05,
                         -0.5, 0.9, 0.35, -0.15, 0.45, 1.2, -0.8, 0.6, 0.1, 0.25, -0.7, 0.3, 0.55, -0.05, 0.9, -1.1, 0.2, 0.4},
     float[2] B = {0.1, -0.2}, float[4,3] M = {0.2, -0.5, 1.0, 0.3, 0.8, -0.1, -0.7, 0.4, 0.05, 0.6, -0.2, 0.9}>
    {
      c = Conv<kernel_shape = [3, 3], pads = [1, 1, 1, 1]>(x, W, B)
      r = Relu(c)
      y = MatMul(r, M)
    }
  )", {{"x", Uniform({1, 2, 4, 4}, -1, 1, 3)}},
                {{"QLinearConv", 1}, {"QLinearMatMul", 1}, {"Conv", 0}, {"MatMul", 0}, {"QuantizeLinear", 1},
                 {"DequantizeLinear", 1}},
                1.01);
}

TEST(LowerToQOperator, ContribOps) {
  CheckLowering(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x, float[1,2,4,4] u) => (float[1,4,2,2] y, float[1,2,1,1] p, float[1,2,4,4] s)
    {
      a = Add(x, u)
      m = Mul(a, x)
      g = Sigmoid(m)
      l = LeakyRelu<alpha = 0.2>(a)
      k = Concat<axis = 1>(g, l)
      y = AveragePool<kernel_shape = [2, 2], strides = [2, 2]>(k)
      p = GlobalAveragePool(m)
      s = Softmax<axis = 1>(l)
    }
  )", {{"x", Uniform({1, 2, 4, 4}, -1, 1, 4)}, {"u", Uniform({1, 2, 4, 4}, -2, 1, 5)}},
                {{"QLinearAdd", 1}, {"QLinearMul", 1}, {"QLinearSigmoid", 1}, {"QLinearLeakyRelu", 1},
                 {"QLinearConcat", 1}, {"QLinearAveragePool", 1}, {"QLinearGlobalAveragePool", 1},
                 {"QLinearSoftmax", 1}, {"Add", 0}, {"Softmax", 0}},
                1.01);
}

}  // namespace
}  // namespace onnxkit::quant
