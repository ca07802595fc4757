// The calibration table: save/load round trip, clear errors on bad files, exact merging, ranges.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "passes/quant/calibration/calibration_table.h"
#include "passes/quant/calibration/calibration_table_io.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

runtime::Tensor RandomTensor(uint64_t seed, float scale, size_t n = 1000) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal(0.f, scale);
  std::vector<float> values(n);
  for (float& v : values) v = normal(random);
  return runtime::Tensor::FromVector(DataType::kFloat, {static_cast<int64_t>(n)}, values);
}

// A table from observations [first, last) of two tensors.
CalibrationTable TableOf(int first, int last) {
  CalibrationTable table;
  table.model = "m.onnx";
  table.method = "entropy";
  for (int i = first; i < last; ++i) {
    table.tensors["a"].observe(RandomTensor(static_cast<uint64_t>(i), 1.f + static_cast<float>(i)), table.averaging_constant);
    table.tensors["b"].observe(RandomTensor(static_cast<uint64_t>(1000 + i), 0.01f), table.averaging_constant);
    ++table.sample_count;
  }
  return table;
}

TEST(CalibrationTable, SaveLoadRoundTrip) {
  testing::TempDir dir;
  CalibrationTable table = TableOf(0, 5);
  table.tensors["never_finite"].observe(runtime::Tensor::FromVector(DataType::kFloat, {1}, std::vector<float>{NAN}), 0.01);
  ASSERT_TRUE(SaveCalibrationTable(table, dir / "t.calib").ok());
  auto loaded = LoadCalibrationTable(dir / "t.calib");
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  EXPECT_TRUE(*loaded == table);
  EXPECT_EQ(loaded->tensors.at("a").histogram.count(), 5000u);
  EXPECT_EQ(loaded->tensors.at("never_finite").histogram.nonFiniteCount(), 1u);
  EXPECT_EQ(loaded->sample_count, 5u);
  EXPECT_EQ(loaded->method, "entropy");
  // Only the final file is left (the write went through a temporary file).
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()), 1);
}

TEST(CalibrationTable, LoadErrorsNameTheFile) {
  testing::TempDir dir;
  auto missing = LoadCalibrationTable(dir / "missing.calib");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("missing.calib"), std::string::npos) << missing.message();

  testing::WriteFile(dir / "garbage.calib", "this is not a protobuf \xff\xff\xff\xff");
  auto garbage = LoadCalibrationTable(dir / "garbage.calib");
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.message().find("garbage.calib"), std::string::npos) << garbage.message();

  std::string bytes = SerializeCalibrationTable(TableOf(0, 2));
  testing::WriteFile(dir / "truncated.calib", bytes.substr(0, bytes.size() / 2));
  auto truncated = LoadCalibrationTable(dir / "truncated.calib");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.message().find("truncated.calib"), std::string::npos) << truncated.message();

  testing::WriteFile(dir / "empty.calib", "");
  auto empty = LoadCalibrationTable(dir / "empty.calib");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.message().find("empty.calib"), std::string::npos) << empty.message();
}

TEST(CalibrationTable, InconsistentHistogramIsRejected) {
  CalibrationTable table = TableOf(0, 1);
  TensorStatistics& a = table.tensors.at("a");
  std::vector<uint64_t> counts = a.histogram.counts();
  counts.back() = 0;  // the bin of the max is empty: corrupt
  a.histogram = Histogram::FromParts(a.histogram.maxBins(), a.histogram.widthExponent(), a.histogram.firstBinIndex(),
                                     counts, a.histogram.min(), a.histogram.max(), 0);
  auto parsed = ParseCalibrationTable(SerializeCalibrationTable(table), "x.calib");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.message().find("x.calib"), std::string::npos);
  EXPECT_NE(parsed.message().find("'a'"), std::string::npos) << parsed.message();
}

// Found by fuzz/fuzz_calibration_table: a stored min/max far outside the bins of the stored width
// made validate() convert a bin index beyond int64 (undefined behaviour) instead of rejecting it.
TEST(CalibrationTable, MinMaxBeyondTheBinIndexRangeIsRejected) {
  CalibrationTable table = TableOf(0, 1);
  TensorStatistics& a = table.tensors.at("a");
  for (double value : {-2.9e25, 1e300}) {
    a.histogram = Histogram::FromParts(a.histogram.maxBins(), -64, 0, {1}, value, value, 0);
    auto parsed = ParseCalibrationTable(SerializeCalibrationTable(table), "far.calib");
    ASSERT_FALSE(parsed.ok()) << value;
    EXPECT_NE(parsed.message().find("min/max outside what the bins can hold"), std::string::npos) << parsed.message();
  }
}

// Found by fuzz/fuzz_calibration_table (a table must save and load back equal): NaN or
// out-of-range scalars were accepted, and a NaN moving average becomes a NaN range.
TEST(CalibrationTable, NonFiniteOrOutOfRangeScalarsAreRejected) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto rejects = [](const CalibrationTable& table, std::string_view problem) {
    auto parsed = ParseCalibrationTable(SerializeCalibrationTable(table), "bad.calib");
    ASSERT_FALSE(parsed.ok()) << problem;
    EXPECT_NE(parsed.message().find(problem), std::string::npos) << parsed.message();
    EXPECT_NE(parsed.message().find("bad.calib"), std::string::npos) << parsed.message();
  };
  for (double percentile : {nan, 0.0, 100.5}) {
    CalibrationTable table = TableOf(0, 2);
    table.percentile = percentile;
    rejects(table, "percentile");
  }
  for (double constant : {nan, 0.0, 2.0}) {
    CalibrationTable table = TableOf(0, 2);
    table.averaging_constant = constant;
    rejects(table, "averaging constant");
  }
  CalibrationTable moving = TableOf(0, 2);
  moving.tensors.at("a").moving_max = std::numeric_limits<double>::infinity();
  rejects(moving, "moving averages");
  CalibrationTable empty = TableOf(0, 2);
  empty.tensors.at("a").histogram = Histogram::FromParts(empty.histogram_bins, Histogram::kMinWidthExponent, 0, {}, nan, 0, 0);
  rejects(empty, "min/max without values");
}

TEST(CalibrationTable, MergeOfPartsEqualsWhole) {
  CalibrationTable whole = TableOf(0, 10);
  std::vector<CalibrationTable> parts = {TableOf(0, 3), TableOf(3, 4), TableOf(4, 10)};
  auto merged = MergeCalibrationTables(parts);
  ASSERT_TRUE(merged.ok()) << merged.message();
  EXPECT_EQ(merged->sample_count, 10u);
  for (const char* name : {"a", "b"}) {
    const TensorStatistics& m = merged->tensors.at(name);
    const TensorStatistics& w = whole.tensors.at(name);
    EXPECT_TRUE(m.histogram == w.histogram) << name;
    EXPECT_EQ(m.observation_count, 10u);
  }
  // Every method gives the same range on the merged table as on the whole run.
  for (CalibrationMethod method : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile,
                                   CalibrationMethod::kEntropy, CalibrationMethod::kMse}) {
    RangeTable a = ComputeRanges(*merged, method);
    RangeTable b = ComputeRanges(whole, method);
    ASSERT_EQ(a.size(), 2u);
    for (const auto& [name, range] : b) {
      EXPECT_EQ(a.at(name).min, range.min) << name << " " << CalibrationMethodName(method);
      EXPECT_EQ(a.at(name).max, range.max) << name << " " << CalibrationMethodName(method);
    }
  }
}

TEST(CalibrationTable, MergeWeightsMovingAveragesByObservations) {
  CalibrationTable one;
  one.tensors["x"].observe(runtime::Tensor::FromVector(DataType::kFloat, {2}, std::vector<float>{0.f, 1.f}), 0.01);
  CalibrationTable three;
  for (int i = 0; i < 3; ++i)
    three.tensors["x"].observe(runtime::Tensor::FromVector(DataType::kFloat, {2}, std::vector<float>{-1.f, 5.f}), 0.01);
  std::vector<CalibrationTable> tables = {one, three};
  auto merged = MergeCalibrationTables(tables);
  ASSERT_TRUE(merged.ok());
  EXPECT_DOUBLE_EQ(merged->tensors.at("x").moving_max, (1.0 * 1 + 5.0 * 3) / 4);
  EXPECT_DOUBLE_EQ(merged->tensors.at("x").moving_min, (0.0 * 1 - 1.0 * 3) / 4);
}

TEST(CalibrationTable, MergeRejectsDifferentHistogramSizes) {
  CalibrationTable a, b;
  b.histogram_bins = 512;
  std::vector<CalibrationTable> tables = {a, b};
  auto merged = MergeCalibrationTables(tables);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.message().find("512"), std::string::npos);
  EXPECT_FALSE(MergeCalibrationTables({}).ok());
}

}  // namespace
}  // namespace onnxkit::quant
