#include "passes/quant/calibration/calibration_methods.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace onnxkit::quant {
namespace {

// The histogram of |x|: bin i covers [i·width, (i+1)·width), at most `max_bins` bins (pairing
// bins of the signed histogram as needed, which is exact).
struct AbsHistogram {
  double width = 0;
  std::vector<double> counts;
};

AbsHistogram FoldAbs(const Histogram& h) {
  auto abs_index = [](int64_t j) { return j >= 0 ? j : -j - 1; };
  int64_t first = h.firstBinIndex();
  int64_t last = first + static_cast<int64_t>(h.counts().size()) - 1;
  int64_t top = std::max(abs_index(first), abs_index(last));
  if (first <= 0 && last >= -1) top = std::max(top, int64_t{0});
  int shift = 0;
  while ((top >> shift) + 1 > h.maxBins()) ++shift;
  AbsHistogram result;
  result.width = std::ldexp(1.0, h.widthExponent() + shift);
  result.counts.assign(static_cast<size_t>((top >> shift) + 1), 0.0);
  for (size_t i = 0; i < h.counts().size(); ++i)
    result.counts[static_cast<size_t>(abs_index(first + static_cast<int64_t>(i)) >> shift)] +=
        static_cast<double>(h.counts()[i]);
  return result;
}

double AbsMax(const Histogram& h) { return std::max(std::fabs(h.min()), std::fabs(h.max())); }
bool OneSided(const Histogram& h) { return h.min() >= 0 || h.max() <= 0; }

TensorRange Finish(const Histogram& h, double threshold, const RangeOptions& options) {
  threshold = std::min(threshold, AbsMax(h));
  if (options.symmetric) return {-threshold, threshold};
  return {std::max(h.min(), -threshold), std::min(h.max(), threshold)};
}

TensorRange Percentile(const Histogram& h, const RangeOptions& options) {
  double p = std::clamp(options.percentile, 0.0, 100.0) / 100.0;
  double total = static_cast<double>(h.count());
  if (options.symmetric) {
    AbsHistogram abs = FoldAbs(h);
    double cumulative = 0;
    for (size_t i = 0; i < abs.counts.size(); ++i) {
      cumulative += abs.counts[i];
      if (cumulative >= p * total) return Finish(h, static_cast<double>(i + 1) * abs.width, options);
    }
    return Finish(h, AbsMax(h), options);
  }
  double tail = (1.0 - p) / 2.0 * total;  // values allowed beyond each end
  const auto& counts = h.counts();
  TensorRange range{h.min(), h.max()};
  double below = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    below += static_cast<double>(counts[i]);
    if (below > tail) {
      range.min = std::max(h.min(), h.binLower(i));
      break;
    }
  }
  double above = 0;
  for (size_t i = counts.size(); i-- > 0;) {
    above += static_cast<double>(counts[i]);
    if (above > tail) {
      range.max = std::min(h.max(), h.binLower(i) + h.binWidth());
      break;
    }
  }
  return range;
}

TensorRange Entropy(const Histogram& h, const RangeOptions& options) {
  AbsHistogram abs = FoldAbs(h);
  int levels = options.entropy_levels > 0 ? options.entropy_levels : (!options.symmetric && OneSided(h) ? 256 : 128);
  const std::vector<double>& hist = abs.counts;
  size_t bins = hist.size();
  if (bins <= static_cast<size_t>(levels)) return Finish(h, AbsMax(h), options);
  std::vector<double> suffix(bins + 1, 0.0);  // suffix[i] = sum of hist[i:]
  for (size_t i = bins; i-- > 0;) suffix[i] = suffix[i + 1] + hist[i];
  std::vector<double> q;
  double best_divergence = std::numeric_limits<double>::infinity();
  size_t best = bins;
  for (size_t i = static_cast<size_t>(levels); i <= bins; ++i) {
    // P: the first i bins with the outliers clipped into the last one.
    auto p_at = [&](size_t b) { return b + 1 == i ? hist[b] + suffix[i] : hist[b]; };
    double p_total = suffix[0];
    // Q: the first i bins merged into `levels` groups, each group's count spread over its bins
    // where P is non-zero.
    q.assign(i, 0.0);
    size_t merged = i / static_cast<size_t>(levels);
    for (size_t level = 0; level < static_cast<size_t>(levels); ++level) {
      size_t start = level * merged;
      size_t end = level + 1 == static_cast<size_t>(levels) ? i : start + merged;
      double sum = 0;
      size_t nonzero = 0;
      for (size_t b = start; b < end; ++b) {
        sum += hist[b];
        if (p_at(b) != 0) ++nonzero;
      }
      if (nonzero == 0) continue;
      for (size_t b = start; b < end; ++b)
        if (p_at(b) != 0) q[b] = sum / static_cast<double>(nonzero);
    }
    double q_total = 0;
    for (double v : q) q_total += v;
    if (q_total == 0) continue;
    constexpr double kEpsilon = 1e-10;  // smoothing for Q = 0 where P > 0
    double divergence = 0;
    for (size_t b = 0; b < i; ++b) {
      double pb = p_at(b) / p_total;
      if (pb == 0) continue;
      double qb = std::max(q[b] / q_total, kEpsilon);
      divergence += pb * std::log(pb / qb);
    }
    if (divergence < best_divergence) {
      best_divergence = divergence;
      best = i;
    }
  }
  return Finish(h, static_cast<double>(best) * abs.width, options);
}

TensorRange Mse(const Histogram& h, const RangeOptions& options) {
  AbsHistogram abs = FoldAbs(h);
  double steps = !options.symmetric && OneSided(h) ? 255.0 : 127.0;
  constexpr int kPoints = 8;  // points per bin where the rounding error is evaluated
  double best_error = std::numeric_limits<double>::infinity();
  double best_threshold = AbsMax(h);
  for (size_t i = 1; i <= abs.counts.size(); ++i) {
    double threshold = std::min(static_cast<double>(i) * abs.width, AbsMax(h));
    if (threshold <= 0) continue;
    double step = threshold / steps;
    double error = 0;
    for (size_t b = 0; b < abs.counts.size(); ++b) {
      if (abs.counts[b] == 0) continue;
      double bin_error = 0;
      for (int k = 0; k < kPoints; ++k) {
        double x = (static_cast<double>(b) + (k + 0.5) / kPoints) * abs.width;
        double quantized = std::min(std::round(x / step), steps) * step;
        bin_error += (x - quantized) * (x - quantized);
      }
      error += abs.counts[b] * bin_error / kPoints;
    }
    if (error < best_error) {
      best_error = error;
      best_threshold = threshold;
    }
  }
  return Finish(h, best_threshold, options);
}

}  // namespace

std::string_view CalibrationMethodName(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::kMinMax: return "minmax";
    case CalibrationMethod::kPercentile: return "percentile";
    case CalibrationMethod::kEntropy: return "entropy";
    case CalibrationMethod::kMse: return "mse";
  }
  return "?";
}

Result<CalibrationMethod> ParseCalibrationMethod(std::string_view name) {
  for (CalibrationMethod m : {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile, CalibrationMethod::kEntropy,
                              CalibrationMethod::kMse})
    if (CalibrationMethodName(m) == name) return m;
  return Status::Error("unknown calibration method '{}' (known: minmax, percentile, entropy, mse)", name);
}

TensorRange ComputeRange(const TensorStatistics& statistics, CalibrationMethod method, const RangeOptions& options) {
  const Histogram& h = statistics.histogram;
  if (h.empty()) return {0, 0};
  switch (method) {
    case CalibrationMethod::kMinMax: {
      TensorRange range = options.moving_average ? TensorRange{statistics.moving_min, statistics.moving_max}
                                                 : TensorRange{h.min(), h.max()};
      if (!options.symmetric) return range;
      double t = std::max(std::fabs(range.min), std::fabs(range.max));
      return {-t, t};
    }
    case CalibrationMethod::kPercentile: return Percentile(h, options);
    case CalibrationMethod::kEntropy: return Entropy(h, options);
    case CalibrationMethod::kMse: return Mse(h, options);
  }
  return {h.min(), h.max()};
}

}  // namespace onnxkit::quant
