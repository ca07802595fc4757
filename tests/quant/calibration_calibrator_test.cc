// Calibrating the digits CNN fixture on its calibration images: every float tensor observed,
// halves merged equal the whole run, progress reporting, and memory that does not grow with the
// number of samples.
#include <gtest/gtest.h>

#include <cstring>

#include "ir/model_io.h"
#include "passes/quant/calibration/calibration_table_io.h"
#include "passes/quant/calibration/calibrator.h"
#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

using runtime::Tensor;

class CalibratorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto model = LoadModel(testing::SourceDir() / "fixtures" / "digits_cnn.onnx");
    ASSERT_TRUE(model.ok()) << model.message();
    model_ = std::move(model).value().release();
    auto images = runtime::ReadNpy(testing::SourceDir() / "fixtures" / "digits" / "calib_x.npy");
    ASSERT_TRUE(images.ok()) << images.message();
    images_ = new Tensor(std::move(images).value());
    ASSERT_EQ(images_->shape(), (runtime::Shape{100, 1, 8, 8}));
  }
  static void TearDownTestSuite() {
    delete model_;
    delete images_;
  }

  // Rows [first, last) of the images, repeated `times` times, as one .npy in a new folder.
  static void WriteImages(const std::filesystem::path& folder, int64_t first, int64_t last, int times = 1) {
    std::filesystem::create_directories(folder);
    int64_t rows = last - first;
    auto out = Tensor::Allocate(DataType::kFloat, {rows * times, 1, 8, 8});
    ASSERT_TRUE(out.ok());
    for (int t = 0; t < times; ++t)
      std::memcpy(out->mutableData<float>() + t * rows * 64, images_->data<float>() + first * 64,
                  static_cast<size_t>(rows * 64) * sizeof(float));
    ASSERT_TRUE(runtime::WriteNpy(folder / "images.npy", *out).ok());
  }

  static Model* model_;
  static Tensor* images_;
};
Model* CalibratorTest::model_ = nullptr;
Tensor* CalibratorTest::images_ = nullptr;

TEST(Calibrator, StreamingSamplesGiveExactStatistics) {
  auto model = testing::ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[N, 3] x, int64[2] shape) => (float[N, 3] y, int64[2] shape_out) {
      n = Neg(x)
      y = Relu(n)
      shape_out = Identity(shape)
    }
  )");
  auto calibrator = Calibrator::Create(*model);
  ASSERT_TRUE(calibrator.ok()) << calibrator.message();
  Tensor shape = Tensor::FromVector(DataType::kInt64, {2}, std::vector<int64_t>{1, 3});
  ASSERT_TRUE((*calibrator)->addSample({{"x", Tensor::FromVector(DataType::kFloat, {1, 3}, std::vector<float>{-2, 0.5f, 1})},
                                        {"shape", shape}}).ok());
  ASSERT_TRUE((*calibrator)->addSample({{"x", Tensor::FromVector(DataType::kFloat, {2, 3}, std::vector<float>{-4, 3, 0, 0, 0, 0})},
                                        {"shape", shape}}).ok());
  auto table = (*calibrator)->table();
  ASSERT_TRUE(table.ok()) << table.message();
  EXPECT_EQ(table->sample_count, 2u);
  // Float tensors only: the graph input x and the outputs n, y (not the int64 ones).
  ASSERT_EQ(table->tensors.size(), 3u);
  const TensorStatistics& x = table->tensors.at("x");
  EXPECT_EQ(x.histogram.min(), -4.0);
  EXPECT_EQ(x.histogram.max(), 3.0);
  EXPECT_EQ(x.histogram.count(), 9u);
  const TensorStatistics& y = table->tensors.at("y");
  EXPECT_EQ(y.histogram.min(), 0.0);
  EXPECT_EQ(y.histogram.max(), 4.0);
  EXPECT_EQ(y.observation_count, 2u);
  EXPECT_DOUBLE_EQ(y.moving_max, 2.0 + 0.01 * (4.0 - 2.0));
  EXPECT_EQ(table->tensors.at("n").histogram.min(), -3.0);
  // A feed the session rejects is an error, not a silent skip.
  EXPECT_FALSE((*calibrator)->addSample({{"x", Tensor::FromVector(DataType::kFloat, {3}, std::vector<float>{1, 2, 3})},
                                         {"shape", shape}}).ok());
}

TEST_F(CalibratorTest, ObservesEveryFloatTensor) {
  testing::TempDir dir;
  WriteImages(dir / "all", 0, 100);
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  CalibrateOptions options;
  options.progress = [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); };
  auto table = Calibrate(*model_, dir / "all", options);
  ASSERT_TRUE(table.ok()) << table.message();
  EXPECT_EQ(table->sample_count, 100u);
  ASSERT_EQ(progress.size(), 100u);
  EXPECT_EQ(progress.front(), (std::pair<uint64_t, uint64_t>{1, 100}));
  EXPECT_EQ(progress.back(), (std::pair<uint64_t, uint64_t>{100, 100}));
  // The graph input and the outputs of Conv, Relu, Conv, Relu, MaxPool, Flatten, Gemm.
  EXPECT_EQ(table->tensors.size(), 8u);
  const TensorStatistics& input = table->tensors.at("input");
  EXPECT_EQ(input.histogram.min(), 0.0);
  EXPECT_EQ(input.histogram.max(), 1.0);
  EXPECT_EQ(input.histogram.count(), 6400u);
  EXPECT_EQ(input.observation_count, 100u);
  const TensorStatistics& logits = table->tensors.at("logits");
  EXPECT_EQ(logits.histogram.count(), 1000u);
  EXPECT_LT(logits.histogram.min(), 0.0);
  EXPECT_GT(logits.histogram.max(), 0.0);
  // ReLU outputs are non-negative with many exact zeros.
  int relus = 0;
  for (const auto& [name, statistics] : table->tensors) {
    if (statistics.histogram.min() == 0.0 && name != "input") ++relus;
    EXPECT_LE(statistics.histogram.counts().size(), static_cast<size_t>(Histogram::kDefaultMaxBins)) << name;
  }
  EXPECT_GE(relus, 2);

  RangeTable ranges = ComputeRanges(*table, CalibrationMethod::kMinMax);
  EXPECT_EQ(ranges.at("input").min, 0.0);
  EXPECT_EQ(ranges.at("input").max, 1.0);
}

TEST_F(CalibratorTest, SelectedTensorsAndMaxSamples) {
  testing::TempDir dir;
  WriteImages(dir / "all", 0, 100);
  CalibrateOptions options;
  options.tensors = {"logits"};
  options.max_samples = 10;
  auto table = Calibrate(*model_, dir / "all", options);
  ASSERT_TRUE(table.ok()) << table.message();
  EXPECT_EQ(table->sample_count, 10u);
  ASSERT_EQ(table->tensors.size(), 1u);
  EXPECT_EQ(table->tensors.at("logits").histogram.count(), 100u);

  options.tensors = {"no_such_tensor"};
  auto missing = Calibrate(*model_, dir / "all", options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("no_such_tensor"), std::string::npos);
}

TEST_F(CalibratorTest, MergedHalvesEqualTheWholeRun) {
  testing::TempDir dir;
  WriteImages(dir / "all", 0, 100);
  WriteImages(dir / "first", 0, 37);
  WriteImages(dir / "second", 37, 100);
  auto whole = Calibrate(*model_, dir / "all");
  auto first = Calibrate(*model_, dir / "first");
  auto second = Calibrate(*model_, dir / "second");
  ASSERT_TRUE(whole.ok() && first.ok() && second.ok());
  // Through files, as when the halves are collected on two machines.
  ASSERT_TRUE(SaveCalibrationTable(*first, dir / "first.calib").ok());
  ASSERT_TRUE(SaveCalibrationTable(*second, dir / "second.calib").ok());
  auto loaded_first = LoadCalibrationTable(dir / "first.calib");
  auto loaded_second = LoadCalibrationTable(dir / "second.calib");
  ASSERT_TRUE(loaded_first.ok() && loaded_second.ok());
  std::vector<CalibrationTable> halves = {*loaded_first, *loaded_second};
  auto merged = MergeCalibrationTables(halves);
  ASSERT_TRUE(merged.ok()) << merged.message();
  EXPECT_EQ(merged->sample_count, 100u);
  ASSERT_EQ(merged->tensors.size(), whole->tensors.size());
  for (const auto& [name, statistics] : whole->tensors) {
    const TensorStatistics& m = merged->tensors.at(name);
    EXPECT_TRUE(m.histogram == statistics.histogram) << name;
    EXPECT_EQ(m.observation_count, statistics.observation_count) << name;
    // Moving averages merge approximately (weighted by observations).
    double span = statistics.histogram.max() - statistics.histogram.min();
    EXPECT_NEAR(m.moving_max, statistics.moving_max, 0.25 * span) << name;
  }
  for (CalibrationMethod method : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile,
                                   CalibrationMethod::kEntropy, CalibrationMethod::kMse}) {
    RangeOptions options;
    options.symmetric = method == CalibrationMethod::kEntropy;
    RangeTable a = ComputeRanges(*merged, method, options);
    RangeTable b = ComputeRanges(*whole, method, options);
    for (const auto& [name, range] : b) {
      EXPECT_EQ(a.at(name).min, range.min) << name;
      EXPECT_EQ(a.at(name).max, range.max) << name;
    }
  }
}

TEST_F(CalibratorTest, MemoryDoesNotGrowWithSamples) {
  testing::TempDir dir;
  WriteImages(dir / "small", 0, 100);
  WriteImages(dir / "large", 0, 100, 10);  // 1000 samples
  auto peak_of = [&](const std::filesystem::path& folder, CalibrationTable* table) {
    runtime::ResetPeakTensorBytes();
    uint64_t before = runtime::LiveTensorBytes();
    auto result = Calibrate(*model_, folder);
    EXPECT_TRUE(result.ok()) << result.message();
    if (result.ok()) *table = std::move(result).value();
    return runtime::PeakTensorBytes() - before;
  };
  CalibrationTable small, large;
  uint64_t small_peak = peak_of(dir / "small", &small);
  uint64_t large_peak = peak_of(dir / "large", &large);
  EXPECT_EQ(large.sample_count, 1000u);
  EXPECT_GT(small_peak, 0u);
  EXPECT_LE(large_peak, small_peak + small_peak / 20) << "small " << small_peak << " large " << large_peak;
  // One sample's activations, not the file: far below the 256 KB of the 1000 images.
  EXPECT_LT(large_peak, 64u * 1024u);
  // The collector keeps histograms only: the same bins for 10x the samples, counts 10x.
  for (const auto& [name, statistics] : small.tensors) {
    const Histogram& big = large.tensors.at(name).histogram;
    EXPECT_EQ(big.counts().size(), statistics.histogram.counts().size()) << name;
    EXPECT_EQ(big.count(), 10 * statistics.histogram.count()) << name;
  }
}

}  // namespace
}  // namespace onnxkit::quant
