// Calibration methods on synthetic data: MinMax keeps outliers, Percentile, Entropy and MSE clip
// them; moving averages follow ONNX Runtime's formula.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "passes/quant/calibration/calibration_methods.h"

namespace onnxkit::quant {
namespace {

TensorStatistics StatisticsOf(const std::vector<float>& values) {
  TensorStatistics s;
  s.observe(runtime::Tensor::FromVector(DataType::kFloat, {static_cast<int64_t>(values.size())}, values), 0.01);
  return s;
}

std::vector<float> Uniform(size_t n, float low, float high) {
  std::mt19937_64 random(1);
  std::uniform_real_distribution<float> uniform(low, high);
  std::vector<float> values(n);
  for (float& v : values) v = uniform(random);
  return values;
}

// N(0, 1) with 10 outliers at +-20 among 1,000,000 values.
std::vector<float> GaussianWithOutliers() {
  std::mt19937_64 random(2);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> values(1'000'000);
  for (float& v : values) v = normal(random);
  for (int i = 0; i < 10; ++i) values[static_cast<size_t>(i) * 99'991] = i % 2 ? 20.f : -20.f;
  return values;
}

TEST(CalibrationMethods, ParseNames) {
  EXPECT_EQ(*ParseCalibrationMethod("entropy"), CalibrationMethod::kEntropy);
  EXPECT_EQ(CalibrationMethodName(CalibrationMethod::kMse), "mse");
  auto bad = ParseCalibrationMethod("kl");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("'kl'"), std::string::npos);
}

TEST(CalibrationMethods, MinMaxIsExact) {
  TensorStatistics s = StatisticsOf({-0.75f, 0.1f, 3.5f});
  TensorRange r = ComputeRange(s, CalibrationMethod::kMinMax, {});
  EXPECT_EQ(r.min, -0.75);
  EXPECT_EQ(r.max, 3.5);
  RangeOptions symmetric;
  symmetric.symmetric = true;
  r = ComputeRange(s, CalibrationMethod::kMinMax, symmetric);
  EXPECT_EQ(r.min, -3.5);
  EXPECT_EQ(r.max, 3.5);
}

TEST(CalibrationMethods, MovingAverageFollowsOnnxRuntime) {
  TensorStatistics s;
  s.observe(runtime::Tensor::FromVector(DataType::kFloat, {2}, std::vector<float>{-1.f, 1.f}), 0.01);
  s.observe(runtime::Tensor::FromVector(DataType::kFloat, {2}, std::vector<float>{-3.f, 2.f}), 0.01);
  EXPECT_EQ(s.observation_count, 2u);
  EXPECT_DOUBLE_EQ(s.moving_min, -1.0 + 0.01 * (-3.0 + 1.0));  // -1.02
  EXPECT_DOUBLE_EQ(s.moving_max, 1.0 + 0.01 * (2.0 - 1.0));    // 1.01
  RangeOptions options;
  options.moving_average = true;
  TensorRange r = ComputeRange(s, CalibrationMethod::kMinMax, options);
  EXPECT_DOUBLE_EQ(r.min, -1.02);
  EXPECT_DOUBLE_EQ(r.max, 1.01);
  EXPECT_EQ(ComputeRange(s, CalibrationMethod::kMinMax, {}).min, -3.0);
}

TEST(CalibrationMethods, UniformDataKeepsNearlyTheWholeRange) {
  TensorStatistics s = StatisticsOf(Uniform(200'000, -1.f, 1.f));
  TensorRange minmax = ComputeRange(s, CalibrationMethod::kMinMax, {});
  EXPECT_NEAR(minmax.min, -1.0, 1e-4);
  EXPECT_NEAR(minmax.max, 1.0, 1e-4);
  TensorRange percentile = ComputeRange(s, CalibrationMethod::kPercentile, {});
  EXPECT_NEAR(percentile.min, -1.0, 2e-3);
  EXPECT_NEAR(percentile.max, 1.0, 2e-3);
  for (CalibrationMethod method : {CalibrationMethod::kEntropy, CalibrationMethod::kMse}) {
    TensorRange r = ComputeRange(s, method, {});
    EXPECT_GT(r.max, 0.9) << CalibrationMethodName(method);
    EXPECT_LE(r.max, minmax.max) << CalibrationMethodName(method);
    EXPECT_LT(r.min, -0.9) << CalibrationMethodName(method);
  }
}

TEST(CalibrationMethods, PercentileOfUniformIsThePercentile) {
  // 0 .. 99999 / 100000: the 99th percentile of |x| is 0.99, two-sided 98% cuts 1% per side.
  std::vector<float> values;
  for (int i = 0; i < 100'000; ++i) values.push_back(static_cast<float>(i) / 100'000.f);
  TensorStatistics s = StatisticsOf(values);
  RangeOptions options;
  options.percentile = 99.0;
  options.symmetric = true;
  TensorRange r = ComputeRange(s, CalibrationMethod::kPercentile, options);
  EXPECT_NEAR(r.max, 0.99, 1e-3);
  EXPECT_EQ(r.min, -r.max);
  options.symmetric = false;
  options.percentile = 98.0;
  r = ComputeRange(s, CalibrationMethod::kPercentile, options);
  EXPECT_NEAR(r.min, 0.01, 1e-3);
  EXPECT_NEAR(r.max, 0.99, 1e-3);
}

TEST(CalibrationMethods, OutliersAreClippedExceptByMinMax) {
  TensorStatistics s = StatisticsOf(GaussianWithOutliers());
  TensorRange minmax = ComputeRange(s, CalibrationMethod::kMinMax, {});
  EXPECT_EQ(minmax.min, -20.0);
  EXPECT_EQ(minmax.max, 20.0);

  RangeOptions symmetric;
  symmetric.symmetric = true;
  symmetric.percentile = 99.99;
  TensorRange percentile = ComputeRange(s, CalibrationMethod::kPercentile, symmetric);
  // |x| of N(0,1) has its 99.99th percentile at 3.89 (3.92 with 10 of the 100 tail values outliers).
  EXPECT_NEAR(percentile.max, 3.92, 0.12);
  EXPECT_EQ(percentile.min, -percentile.max);

  RangeOptions two_sided;
  two_sided.percentile = 99.99;  // 0.005% per side: 3.89 sigma
  percentile = ComputeRange(s, CalibrationMethod::kPercentile, two_sided);
  EXPECT_NEAR(percentile.max, 3.92, 0.12);
  EXPECT_NEAR(percentile.min, -3.92, 0.12);

  // Entropy: 128 levels over bins of 1/32 start at 4; the outliers are clipped.
  TensorRange entropy = ComputeRange(s, CalibrationMethod::kEntropy, symmetric);
  EXPECT_GE(entropy.max, 4.0);
  EXPECT_LT(entropy.max, 10.0);
  EXPECT_EQ(entropy.min, -entropy.max);
  // MSE trades the outliers' clipping error (10 values) against the rounding error of a million:
  // expected error n·step²/12 + Σ(|x| - t)² is smallest near t = 13.
  TensorRange mse = ComputeRange(s, CalibrationMethod::kMse, symmetric);
  EXPECT_GT(mse.max, 10.0);
  EXPECT_LT(mse.max, 16.0);
  EXPECT_EQ(mse.min, -mse.max);
}

TEST(CalibrationMethods, OneSidedDataStaysOneSided) {
  std::vector<float> values = Uniform(100'000, 0.f, 1.f);
  for (size_t i = 0; i < values.size(); i += 2) values[i] = 0.f;  // ReLU-like: half exact zeros
  values[5] = 5.f;
  TensorStatistics s = StatisticsOf(values);
  RangeOptions options;
  options.percentile = 99.99;
  for (CalibrationMethod method : {CalibrationMethod::kPercentile, CalibrationMethod::kEntropy}) {
    TensorRange r = ComputeRange(s, method, options);
    EXPECT_EQ(r.min, 0.0) << CalibrationMethodName(method);
    EXPECT_GT(r.max, 0.5) << CalibrationMethodName(method);
    EXPECT_LT(r.max, 2.0) << CalibrationMethodName(method);
  }
  // Clipping one value at 5 among 100,000 down to ~1 costs (5 - 1)^2 = 16, far more than the
  // rounding error saved (~1.6): MSE keeps nearly all of it (a slight clip, to ~4.7, pays off).
  TensorRange mse = ComputeRange(s, CalibrationMethod::kMse, options);
  EXPECT_EQ(mse.min, 0.0);
  EXPECT_GT(mse.max, 4.0);
  EXPECT_LE(mse.max, 5.0);
}

TEST(CalibrationMethods, EmptyStatisticsGiveZeroRange) {
  TensorStatistics s;
  for (CalibrationMethod method : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile,
                                   CalibrationMethod::kEntropy, CalibrationMethod::kMse}) {
    TensorRange r = ComputeRange(s, method, {});
    EXPECT_EQ(r.min, 0.0);
    EXPECT_EQ(r.max, 0.0);
  }
}

}  // namespace
}  // namespace onnxkit::quant
