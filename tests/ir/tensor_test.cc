#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ir/tensor.h"

namespace onnxkit {
namespace {

onnx::TensorProto Proto(DataType type, std::vector<int64_t> dims) {
  onnx::TensorProto proto;
  proto.set_name("t");
  proto.set_data_type(static_cast<int32_t>(type));
  for (int64_t d : dims) proto.add_dims(d);
  return proto;
}

TEST(Tensor, RawDataIsMovedNotCopied) {
  auto proto = Proto(DataType::kFloat, {64});  // large enough to live outside std::string's SSO buffer
  std::vector<float> values(64, 1.5f);
  proto.set_raw_data(values.data(), values.size() * sizeof(float));
  const char* raw = proto.raw_data().data();
  auto tensor = Tensor::FromProto(std::move(proto));
  ASSERT_TRUE(tensor.ok()) << tensor.message();
  EXPECT_EQ(reinterpret_cast<const char*>((*tensor)->bytes().data()), raw);
  EXPECT_EQ((*tensor)->ToVector<float>(), values);
  EXPECT_TRUE((*tensor)->metadata().raw_data().empty());
}

TEST(Tensor, TypedFieldsDecodeForEveryType) {
  auto f = Proto(DataType::kFloat, {2});
  f.add_float_data(1.f);
  f.add_float_data(2.f);
  auto tf = Tensor::FromProto(f);
  ASSERT_TRUE(tf.ok());
  EXPECT_EQ((*tf)->ToVector<float>(), (std::vector<float>{1.f, 2.f}));
  EXPECT_TRUE((*tf)->usesTypedFields());
  EXPECT_EQ((*tf)->metadata().float_data_size(), 2);  // kept for a lossless write

  auto i8 = Proto(DataType::kInt8, {3});
  for (int v : {-5, 0, 127}) i8.add_int32_data(v);
  auto ti8 = Tensor::FromProto(i8);
  ASSERT_TRUE(ti8.ok());
  EXPECT_EQ((*ti8)->ToVector<int8_t>(), (std::vector<int8_t>{-5, 0, 127}));

  auto h = Proto(DataType::kFloat16, {1});
  h.add_int32_data(0x3C00);  // 1.0
  auto th = Tensor::FromProto(h);
  ASSERT_TRUE(th.ok());
  EXPECT_EQ((*th)->ElementAsDouble(0), 1.0);

  auto u32 = Proto(DataType::kUint32, {1});
  u32.add_uint64_data(4000000000u);
  auto tu = Tensor::FromProto(u32);
  ASSERT_TRUE(tu.ok());
  EXPECT_EQ((*tu)->ToVector<uint32_t>(), (std::vector<uint32_t>{4000000000u}));

  auto d = Proto(DataType::kDouble, {1});
  d.add_double_data(0.25);
  auto td = Tensor::FromProto(d);
  ASSERT_TRUE(td.ok());
  EXPECT_EQ((*td)->ElementAsDouble(0), 0.25);

  auto i64 = Proto(DataType::kInt64, {2});
  i64.add_int64_data(-1);
  i64.add_int64_data(1LL << 40);
  auto ti64 = Tensor::FromProto(i64);
  ASSERT_TRUE(ti64.ok());
  EXPECT_EQ((*ti64)->ElementAsInt64(1), 1LL << 40);
}

TEST(Tensor, DataSizeMustMatchDims) {
  auto proto = Proto(DataType::kFloat, {3});
  proto.set_raw_data(std::string(8, '\0'));
  auto tensor = Tensor::FromProto(proto);
  ASSERT_FALSE(tensor.ok());
  EXPECT_NE(tensor.message().find("tensor 't'"), std::string::npos) << tensor.message();
  EXPECT_NE(tensor.message().find("need 12"), std::string::npos) << tensor.message();
}

TEST(Tensor, NegativeAndOverflowingDimsAreRejected) {
  auto negative = Tensor::FromProto(Proto(DataType::kFloat, {2, -1}));
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.message().find("negative"), std::string::npos);
  auto huge = Tensor::FromProto(Proto(DataType::kFloat, {1LL << 40, 1LL << 40}));
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.message().find("overflow"), std::string::npos);
  auto big_bytes = Tensor::FromProto(Proto(DataType::kDouble, {1LL << 62}));
  ASSERT_FALSE(big_bytes.ok());
}

TEST(Tensor, StringTensorsCountStrings) {
  auto proto = Proto(DataType::kString, {2});
  proto.add_string_data("a");
  auto bad = Tensor::FromProto(proto);
  EXPECT_FALSE(bad.ok());
  proto.add_string_data("b");
  auto good = Tensor::FromProto(proto);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ((*good)->strings().size(), 2);
}

TEST(Tensor, ExternalWithoutResolutionIsAnError) {
  auto proto = Proto(DataType::kFloat, {1});
  proto.set_data_location(onnx::TensorProto::EXTERNAL);
  EXPECT_FALSE(Tensor::FromProto(proto).ok());
}

TEST(Half, EveryHalfRoundTripsThroughFloat) {
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    float value = HalfToFloat(static_cast<uint16_t>(bits));
    if (std::isnan(value)) {
      EXPECT_TRUE(std::isnan(HalfToFloat(FloatToHalf(value))));
      continue;
    }
    ASSERT_EQ(FloatToHalf(value), bits) << "bits " << bits << " value " << value;
  }
}

TEST(Half, RoundsToNearestEven) {
  EXPECT_EQ(FloatToHalf(1.0f), 0x3C00);
  EXPECT_EQ(FloatToHalf(65504.f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(65520.f), 0x7C00);  // rounds up to infinity
  EXPECT_EQ(FloatToHalf(65519.f), 0x7BFF);
  EXPECT_EQ(FloatToHalf(std::ldexp(1.f, -24)), 0x0001);  // smallest subnormal
  EXPECT_EQ(FloatToHalf(std::ldexp(1.f, -25)), 0x0000);  // halfway: ties to even (0)
  EXPECT_EQ(FloatToHalf(std::ldexp(3.f, -25)), 0x0002);  // 1.5 units: ties to even (2)
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(1.f, -11)), 0x3C00);  // halfway above 1: even
  EXPECT_EQ(FloatToHalf(1.0f + std::ldexp(3.f, -11)), 0x3C02);
  EXPECT_EQ(FloatToHalf(-0.f), 0x8000);
  EXPECT_EQ(FloatToHalf(std::numeric_limits<float>::infinity()), 0x7C00);
}

TEST(Bfloat, RoundsToNearestEven) {
  EXPECT_EQ(FloatToBfloat(1.0f), 0x3F80);
  EXPECT_EQ(BfloatToFloat(0x3F80), 1.0f);
  EXPECT_EQ(FloatToBfloat(1.0f + std::ldexp(1.f, -8)), 0x3F80);  // halfway: even
  EXPECT_EQ(FloatToBfloat(1.0f + std::ldexp(3.f, -8)), 0x3F82);
  EXPECT_TRUE(std::isnan(BfloatToFloat(FloatToBfloat(std::nanf("")))));
}

}  // namespace
}  // namespace onnxkit
