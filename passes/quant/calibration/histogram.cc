#include "passes/quant/calibration/histogram.h"

#include <algorithm>
#include <cmath>

namespace onnxkit::quant {
namespace {

constexpr double kMaxIndex = 4503599627370496.0;  // 2^52: indices stay exact in double and int64

int64_t FloorDiv2(int64_t j) { return j >= 0 ? j / 2 : -((-j + 1) / 2); }

// Whether [low, high] fits in max_bins bins of width 2^k with small enough indices.
bool Fits(double low, double high, int k, int max_bins) {
  double lo = std::floor(std::ldexp(low, -k));
  double hi = std::floor(std::ldexp(high, -k));
  if (std::fabs(lo) > kMaxIndex || std::fabs(hi) > kMaxIndex) return false;
  return hi - lo + 1 <= max_bins;
}

}  // namespace

int64_t BinIndex(double x, int width_exponent) { return static_cast<int64_t>(std::floor(std::ldexp(x, -width_exponent))); }

Histogram::Histogram(int max_bins) : max_bins_(std::max(max_bins, 2)) {}

Histogram Histogram::FromParts(int max_bins, int width_exponent, int64_t first_bin_index, std::vector<uint64_t> counts,
                               double min, double max, uint64_t non_finite_count) {
  Histogram h(max_bins);
  h.max_bins_ = max_bins;
  h.width_exponent_ = width_exponent;
  h.first_bin_ = first_bin_index;
  h.counts_ = std::move(counts);
  for (uint64_t c : h.counts_) h.count_ += c;
  h.min_ = min;
  h.max_ = max;
  h.non_finite_ = non_finite_count;
  return h;
}

const char* Histogram::validate() const {
  if (max_bins_ < 2) return "bin budget below 2";
  if (width_exponent_ < kMinWidthExponent || width_exponent_ > 1100) return "bin width exponent out of range";
  if (count_ == 0) {
    if (!counts_.empty() || width_exponent_ != kMinWidthExponent) return "bins without counts";
    return min_ == 0 && max_ == 0 ? "" : "min/max without values";
  }
  if (counts_.empty() || static_cast<int64_t>(counts_.size()) > max_bins_) return "bin count outside the budget";
  if (counts_.front() == 0 || counts_.back() == 0) return "empty first or last bin";
  if (!std::isfinite(min_) || !std::isfinite(max_) || min_ > max_) return "bad min/max";
  // The bins of min and max must be within the budget and have exact indices (below 2^52), as
  // the histogram keeps them; converting a larger index to int64 would overflow.
  if (!Fits(min_, max_, width_exponent_, max_bins_)) return "min/max outside what the bins can hold";
  if (BinIndex(min_, width_exponent_) != first_bin_ ||
      BinIndex(max_, width_exponent_) != first_bin_ + static_cast<int64_t>(counts_.size()) - 1)
    return "min/max disagree with the bins";
  return "";
}

double Histogram::binWidth() const { return std::ldexp(1.0, width_exponent_); }
double Histogram::binLower(size_t i) const {
  return std::ldexp(static_cast<double>(first_bin_ + static_cast<int64_t>(i)), width_exponent_);
}

void Histogram::coarsenTo(int width_exponent) {
  while (width_exponent_ < width_exponent) {
    if (!counts_.empty()) {
      int64_t new_first = FloorDiv2(first_bin_);
      int64_t new_last = FloorDiv2(first_bin_ + static_cast<int64_t>(counts_.size()) - 1);
      std::vector<uint64_t> merged(static_cast<size_t>(new_last - new_first + 1), 0);
      for (size_t i = 0; i < counts_.size(); ++i)
        merged[static_cast<size_t>(FloorDiv2(first_bin_ + static_cast<int64_t>(i)) - new_first)] += counts_[i];
      counts_ = std::move(merged);
      first_bin_ = new_first;
    }
    ++width_exponent_;
  }
}

void Histogram::cover(double low, double high) {
  if (count_ != 0) {
    low = std::min(low, min_);
    high = std::max(high, max_);
  }
  int k = width_exponent_;
  while (!Fits(low, high, k, max_bins_)) ++k;
  coarsenTo(k);
  int64_t lo = BinIndex(low, width_exponent_);
  int64_t hi = BinIndex(high, width_exponent_);
  if (counts_.empty()) {
    first_bin_ = lo;
    counts_.assign(static_cast<size_t>(hi - lo + 1), 0);
    return;
  }
  if (lo < first_bin_) {
    counts_.insert(counts_.begin(), static_cast<size_t>(first_bin_ - lo), 0);
    first_bin_ = lo;
  }
  int64_t last = first_bin_ + static_cast<int64_t>(counts_.size()) - 1;
  if (hi > last) counts_.resize(counts_.size() + static_cast<size_t>(hi - last), 0);
}

template <typename T>
void Histogram::addValues(std::span<const T> values) {
  // Pass 1: the batch's finite range, so the bins are extended (and coarsened) once per batch.
  double low = INFINITY, high = -INFINITY;
  uint64_t finite = 0;
  for (T v : values) {
    if (!std::isfinite(v)) continue;
    ++finite;
    low = std::min(low, static_cast<double>(v));
    high = std::max(high, static_cast<double>(v));
  }
  non_finite_ += values.size() - finite;
  if (finite == 0) return;
  cover(low, high);
  // Pass 2: count. Multiplying by 2^-k is exactly ldexp(v, -k) when 2^-k is a normal double, and
  // the floor of a value below 2^52 is its truncation, less one when that rounded up: no libm call
  // per element (the baseline x86-64 build has no rounding instruction), which makes calibration
  // several times faster.
  if (width_exponent_ > -1022 && width_exponent_ < 1022) {
    const double scale = std::ldexp(1.0, -width_exponent_);
    for (T v : values) {
      if (!std::isfinite(v)) continue;
      double scaled = static_cast<double>(v) * scale;
      auto index = static_cast<int64_t>(scaled);
      index -= static_cast<double>(index) > scaled ? 1 : 0;
      ++counts_[static_cast<size_t>(index - first_bin_)];
    }
  } else {
    for (T v : values) {
      if (!std::isfinite(v)) continue;
      ++counts_[static_cast<size_t>(BinIndex(static_cast<double>(v), width_exponent_) - first_bin_)];
    }
  }
  min_ = count_ == 0 ? low : std::min(min_, low);
  max_ = count_ == 0 ? high : std::max(max_, high);
  count_ += finite;
}

void Histogram::add(std::span<const float> values) { addValues(values); }
void Histogram::add(std::span<const double> values) { addValues(values); }

void Histogram::merge(const Histogram& other) {
  non_finite_ += other.non_finite_;
  if (other.count_ == 0) return;
  Histogram incoming = other;
  incoming.max_bins_ = max_bins_;
  int k = std::max(width_exponent_, incoming.width_exponent_);
  coarsenTo(k);
  cover(incoming.min_, incoming.max_);  // may coarsen further
  incoming.coarsenTo(width_exponent_);
  for (size_t i = 0; i < incoming.counts_.size(); ++i)
    counts_[static_cast<size_t>(incoming.first_bin_ + static_cast<int64_t>(i) - first_bin_)] += incoming.counts_[i];
  min_ = count_ == 0 ? incoming.min_ : std::min(min_, incoming.min_);
  max_ = count_ == 0 ? incoming.max_ : std::max(max_, incoming.max_);
  count_ += incoming.count_;
}

}  // namespace onnxkit::quant
