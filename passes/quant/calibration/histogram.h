// A histogram that merges exactly, so calibration can be split over machines and merged.
//
// Bins have width w = 2^k and are aligned to integer multiples of w: bin j covers [j·w, (j+1)·w).
// The bin index floor(x / 2^k) is exact in floating point (ldexp + floor), and coarsening by one
// step (k -> k+1) maps bin j to floor(j / 2), which is exact too. The width is always the smallest
// k >= kMinWidthExponent for which the bins from the smallest to the largest value fit in the bin
// budget (and indices stay below 2^52): a function of the data's min and max only, never of the
// order in which values arrive. So adding values in any order, or merging histograms of any split
// of the data (bring both to the larger width, then add counts), gives bit-identical results.
// Non-finite values are counted separately and left out.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace onnxkit::quant {

class Histogram {
 public:
  static constexpr int kDefaultMaxBins = 2048;
  static constexpr int kMinWidthExponent = -64;

  explicit Histogram(int max_bins = kDefaultMaxBins);
  // Rebuilds a histogram from stored parts (the calibration table); validate() checks them.
  static Histogram FromParts(int max_bins, int width_exponent, int64_t first_bin_index, std::vector<uint64_t> counts,
                             double min, double max, uint64_t non_finite_count);

  void add(std::span<const float> values);
  void add(std::span<const double> values);
  void add(double value) { add(std::span<const double>(&value, 1)); }
  // Adds `other`'s counts (exact). Uses this histogram's bin budget.
  void merge(const Histogram& other);

  int maxBins() const { return max_bins_; }
  int widthExponent() const { return width_exponent_; }
  double binWidth() const;
  int64_t firstBinIndex() const { return first_bin_; }
  const std::vector<uint64_t>& counts() const { return counts_; }
  // Lower edge of stored bin i (counts()[i]).
  double binLower(size_t i) const;
  uint64_t count() const { return count_; }  // finite values
  uint64_t nonFiniteCount() const { return non_finite_; }
  bool empty() const { return count_ == 0; }
  double min() const { return min_; }  // exact; 0 when empty
  double max() const { return max_; }

  // "" when consistent, else what is wrong (for loading stored tables).
  const char* validate() const;

  bool operator==(const Histogram& other) const = default;

 private:
  template <typename T>
  void addValues(std::span<const T> values);
  // Makes the bins cover [low, high] (finite), coarsening as needed.
  void cover(double low, double high);
  void coarsenTo(int width_exponent);

  int max_bins_;
  int width_exponent_ = kMinWidthExponent;
  int64_t first_bin_ = 0;
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t non_finite_ = 0;
  double min_ = 0;
  double max_ = 0;
};

// Index of the bin of width 2^width_exponent holding x: floor(x / 2^width_exponent).
int64_t BinIndex(double x, int width_exponent);

}  // namespace onnxkit::quant
