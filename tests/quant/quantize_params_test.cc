// Scale / zero-point math and weight / bias quantization (passes/quant/quant_params.h), with
// expected values worked out by hand from ONNX Runtime's formulas.
#include <gtest/gtest.h>

#include "passes/quant/quant_params.h"

namespace onnxkit::quant {
namespace {

TEST(QuantParams, AsymmetricUint8AndInt8) {
  QuantParams u8 = ComputeQuantParams(-1, 3, QuantType::kUint8, false, false);
  EXPECT_FLOAT_EQ(u8.scale, 4.0f / 255);
  EXPECT_EQ(u8.zero_point, 64);  // round(0 + 1 / (4/255)) = round(63.75)
  QuantParams s8 = ComputeQuantParams(-1, 3, QuantType::kInt8, false, false);
  EXPECT_FLOAT_EQ(s8.scale, 4.0f / 255);
  EXPECT_EQ(s8.zero_point, -64);  // round(-128 + 63.75)
}

TEST(QuantParams, RangeIncludesZero) {
  QuantParams p = ComputeQuantParams(0.5, 2, QuantType::kUint8, false, false);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255);
  EXPECT_EQ(p.zero_point, 0);
  QuantParams n = ComputeQuantParams(-2, -0.5, QuantType::kInt8, false, false);
  EXPECT_FLOAT_EQ(n.scale, 2.0f / 255);
  EXPECT_EQ(n.zero_point, 127);
}

TEST(QuantParams, Symmetric) {
  QuantParams s8 = ComputeQuantParams(-1, 3, QuantType::kInt8, true, false);
  EXPECT_FLOAT_EQ(s8.scale, 6.0f / 254);
  EXPECT_EQ(s8.zero_point, 0);
  QuantParams u8 = ComputeQuantParams(-1, 3, QuantType::kUint8, true, false);
  EXPECT_FLOAT_EQ(u8.scale, 6.0f / 255);
  EXPECT_EQ(u8.zero_point, 128);
  QuantParams reduced = ComputeQuantParams(-1, 3, QuantType::kInt8, true, true);
  EXPECT_FLOAT_EQ(reduced.scale, 6.0f / 128);
  EXPECT_EQ(reduced.zero_point, 0);
}

TEST(QuantParams, EmptyRangeGivesScaleOne) {
  QuantParams p = ComputeQuantParams(0, 0, QuantType::kInt8, false, false);
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.zero_point, 0);
}

TEST(QuantParams, QuantizeValueRoundsHalfToEvenAndSaturates) {
  QuantLimits limits{-128, 127};
  EXPECT_EQ(QuantizeValue(2.5f, 1.0f, 0, limits), 2);
  EXPECT_EQ(QuantizeValue(3.5f, 1.0f, 0, limits), 4);
  EXPECT_EQ(QuantizeValue(-1000.0f, 1.0f, 0, limits), -128);
  EXPECT_EQ(QuantizeValue(1000.0f, 1.0f, 3, limits), 127);
}

TEST(QuantizeWeight, PerChannelSymmetricInt8) {
  std::vector<float> w = {1.2f, -2.0f, 0.25f, 0.06f, 0.2f, -0.04f};
  TensorPtr tensor = Tensor::FromValues<float>(DataType::kFloat, {2, 3}, std::span<const float>(w));
  auto q = QuantizeWeight(*tensor, 0, WeightOptions{});
  ASSERT_TRUE(q.ok()) << q.message();
  ASSERT_EQ(q->scales.size(), 2u);
  EXPECT_FLOAT_EQ(q->scales[0], 2.0f / 127);
  EXPECT_FLOAT_EQ(q->scales[1], 0.2f / 127);
  EXPECT_EQ(q->zero_points, (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(q->data->dtype(), DataType::kInt8);
  EXPECT_EQ(q->data->ToVector<int8_t>(), (std::vector<int8_t>{76, -127, 16, 38, 127, -25}));
}

TEST(QuantizeWeight, PerColumnAndPerTensor) {
  std::vector<float> w = {1.1f, -4, 2, 0.5f};  // [2, 2]: columns {1.1, 2} and {-4, 0.5}
  TensorPtr tensor = Tensor::FromValues<float>(DataType::kFloat, {2, 2}, std::span<const float>(w));
  auto columns = QuantizeWeight(*tensor, 1, WeightOptions{});
  ASSERT_TRUE(columns.ok());
  EXPECT_FLOAT_EQ(columns->scales[0], 2.0f / 127);
  EXPECT_FLOAT_EQ(columns->scales[1], 4.0f / 127);
  EXPECT_EQ(columns->data->ToVector<int8_t>(), (std::vector<int8_t>{70, -127, 127, 16}));
  auto whole = QuantizeWeight(*tensor, std::nullopt, WeightOptions{QuantType::kUint8, false, false});
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->scales.size(), 1u);
  EXPECT_FLOAT_EQ(whole->scales[0], 6.0f / 255);
  EXPECT_EQ(whole->zero_points[0], 170);  // round(4 / (6/255))
  EXPECT_EQ(whole->data->ToVector<uint8_t>(), (std::vector<uint8_t>{217, 0, 255, 191}));
}

TEST(QuantizeBias, Int32WithProductScale) {
  std::vector<float> b = {1.0f, -0.333f};
  TensorPtr tensor = Tensor::FromValues<float>(DataType::kFloat, {2}, std::span<const float>(b));
  std::vector<float> weight_scales = {0.01f, 0.02f};
  auto q = QuantizeBias(*tensor, 0.5f, weight_scales);
  ASSERT_TRUE(q.ok()) << q.message();
  EXPECT_FLOAT_EQ(q->scales[0], 0.005f);
  EXPECT_FLOAT_EQ(q->scales[1], 0.01f);
  EXPECT_EQ(q->data->dtype(), DataType::kInt32);
  EXPECT_EQ(q->data->ToVector<int32_t>(), (std::vector<int32_t>{200, -33}));
}

}  // namespace
}  // namespace onnxkit::quant
