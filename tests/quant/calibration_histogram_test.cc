// The calibration histogram: bins aligned to multiples of 2^k, minimal width, and exact merging
// (any split of the data, merged, equals one histogram of all of it, bit for bit).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "passes/quant/calibration/histogram.h"

namespace onnxkit::quant {
namespace {

std::vector<float> MixedData(size_t n, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<float> normal(0.5f, 2.0f);
  std::vector<float> values(n);
  for (float& v : values) v = normal(random);
  values[n / 3] = 1234.5f;   // far outliers force coarsening
  values[n / 2] = -77.25f;
  values[n - 1] = 1e-7f;
  return values;
}

Histogram Of(std::span<const float> values, int bins) {
  Histogram h(bins);
  h.add(values);
  return h;
}

TEST(CalibrationHistogram, BinsAreAlignedPowersOfTwo) {
  Histogram h(2048);
  std::vector<float> values = {0.0f, 0.25f, 0.99951171875f};  // 0.99951171875 = 2047/2048
  h.add(values);
  EXPECT_EQ(h.widthExponent(), -11);  // 2048 bins of 2^-11 cover [0, 1)
  EXPECT_EQ(h.firstBinIndex(), 0);
  ASSERT_EQ(h.counts().size(), 2048u);
  EXPECT_EQ(h.counts()[0], 1u);
  EXPECT_EQ(h.counts()[512], 1u);
  EXPECT_EQ(h.counts()[2047], 1u);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.min(), 0.0);
  EXPECT_EQ(h.max(), 0.99951171875);
  // One value at 1.0 needs bin 2048: the width doubles, bins pair up.
  h.add(1.0);
  EXPECT_EQ(h.widthExponent(), -10);
  ASSERT_EQ(h.counts().size(), 1025u);
  EXPECT_EQ(h.counts()[0], 1u);
  EXPECT_EQ(h.counts()[256], 1u);
  EXPECT_EQ(h.counts()[1023], 1u);
  EXPECT_EQ(h.counts()[1024], 1u);
  EXPECT_STREQ(h.validate(), "");
}

TEST(CalibrationHistogram, NegativeValuesUseFloorIndices) {
  Histogram h(4);
  std::vector<float> values = {-1.5f, -0.5f, 0.5f};
  h.add(values);
  // Span [-1.5, 0.5] needs 4 bins of width 2^-1: indices -3 .. 1 is 5 bins, so width 1: -2 .. 0.
  EXPECT_EQ(h.widthExponent(), 0);
  EXPECT_EQ(h.firstBinIndex(), -2);
  EXPECT_EQ(h.counts(), (std::vector<uint64_t>{1, 1, 1}));
  EXPECT_EQ(BinIndex(-0.5, 0), -1);
  EXPECT_EQ(BinIndex(-2.0, 1), -1);
  EXPECT_EQ(BinIndex(-2.5, 1), -2);
}

TEST(CalibrationHistogram, NonFiniteValuesAreCountedApart) {
  Histogram h;
  std::vector<float> values = {1.0f, NAN, INFINITY, -INFINITY, 2.0f};
  h.add(values);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.nonFiniteCount(), 3u);
  EXPECT_EQ(h.min(), 1.0);
  EXPECT_EQ(h.max(), 2.0);
}

TEST(CalibrationHistogram, MergeOfHalvesEqualsAllAtOnce) {
  for (int bins : {16, 2048}) {
    std::vector<float> values = MixedData(20000, 7);
    Histogram whole = Of(values, bins);
    for (size_t split : {size_t{1}, size_t{5000}, size_t{10000}, size_t{19999}}) {
      Histogram a = Of(std::span(values).first(split), bins);
      Histogram b = Of(std::span(values).subspan(split), bins);
      Histogram ab = a;
      ab.merge(b);
      Histogram ba = b;
      ba.merge(a);
      EXPECT_TRUE(ab == whole) << "bins " << bins << " split " << split;
      EXPECT_TRUE(ba == whole) << "bins " << bins << " split " << split;
    }
    EXPECT_EQ(whole.count(), 20000u);
    EXPECT_EQ(whole.max(), 1234.5);
    EXPECT_EQ(whole.min(), -77.25);
    EXPECT_LE(whole.counts().size(), static_cast<size_t>(bins));
  }
}

TEST(CalibrationHistogram, OrderAndBatchingDoNotMatter) {
  std::vector<float> values = MixedData(5000, 3);
  Histogram whole = Of(values, 256);
  std::vector<float> shuffled = values;
  std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(11));
  Histogram one_by_one(256);
  for (float v : shuffled) one_by_one.add(v);
  EXPECT_TRUE(one_by_one == whole);
  // Many small pieces merged in a tree.
  std::vector<Histogram> pieces;
  for (size_t i = 0; i < values.size(); i += 37) pieces.push_back(Of(std::span(values).subspan(i, std::min<size_t>(37, values.size() - i)), 256));
  while (pieces.size() > 1) {
    std::vector<Histogram> next;
    for (size_t i = 0; i + 1 < pieces.size(); i += 2) {
      next.push_back(pieces[i]);
      next.back().merge(pieces[i + 1]);
    }
    if (pieces.size() % 2) next.push_back(pieces.back());
    pieces = std::move(next);
  }
  EXPECT_TRUE(pieces[0] == whole);
}

TEST(CalibrationHistogram, MergeWithEmpty) {
  std::vector<float> values = MixedData(100, 1);
  Histogram h = Of(values, 64);
  Histogram empty(64);
  Histogram merged = empty;
  merged.merge(h);
  EXPECT_TRUE(merged == h);
  h.merge(empty);
  EXPECT_TRUE(merged == h);
}

}  // namespace
}  // namespace onnxkit::quant
