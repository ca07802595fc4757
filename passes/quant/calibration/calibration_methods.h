// Calibration methods: how a tensor's collected statistics become the float range it is quantized
// over. Every method reads only the mergeable statistics (histogram, exact min/max, moving
// averages), so it gives the same range on a table merged from several machines as on one run.
//
//   MinMax      [min, max] seen (or the moving averages of per-observation min/max, as ONNX
//               Runtime's moving_average=True with averaging_constant 0.01).
//   Percentile  symmetric: t = the percentile of |x| (as ONNX Runtime), range [-t, t];
//               asymmetric: two-sided, (100 - p)/2 percent of the values cut at each end.
//   Entropy     TensorRT's KL-divergence threshold search over the histogram of |x|: for each
//               candidate threshold (bin edge), clip the outliers into the last bin (P), quantize
//               the bins below to `levels` levels and expand back (Q), and keep the threshold of
//               smallest KL(P || Q). Levels: 128 (int8 sign + 7 bits), 256 for asymmetric ranges of
//               one-sided data (all >= 0 or all <= 0). Range [-t, t], intersected with [min, max]
//               unless symmetric.
//   Mse         the threshold t (bin edge of |x|) minimizing the expected squared quantization
//               error over the histogram: rounding error inside [-t, t] (computed at 8 points per
//               bin), clipping error outside. Steps of t/127, or t/255 for one-sided asymmetric.
//
// Entropy and MSE search symmetric thresholds on |x| even for asymmetric ranges (then cut to
// [min, max]); a two-sided search would cost O(bins^2) candidates.
#pragma once

#include <string_view>

#include "ir/status.h"
#include "passes/quant/calibration/tensor_statistics.h"
#include "passes/quant/ranges.h"

namespace onnxkit::quant {

enum class CalibrationMethod { kMinMax, kPercentile, kEntropy, kMse };

// "minmax", "percentile", "entropy", "mse".
std::string_view CalibrationMethodName(CalibrationMethod method);
Result<CalibrationMethod> ParseCalibrationMethod(std::string_view name);

struct RangeOptions {
  // Range symmetric around zero ([-t, t]), as for int8 symmetric quantization.
  bool symmetric = false;
  // MinMax: the moving averages of per-observation min/max instead of the overall min/max.
  bool moving_average = false;
  // Percentile: in (0, 100].
  double percentile = 99.999;
  // Entropy: quantized levels; 0 picks 128 or 256 as described above.
  int entropy_levels = 0;
};

// The range for one tensor; {0, 0} when no finite value was seen.
TensorRange ComputeRange(const TensorStatistics& statistics, CalibrationMethod method, const RangeOptions& options);

}  // namespace onnxkit::quant
