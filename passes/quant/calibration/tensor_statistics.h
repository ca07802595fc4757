// What calibration keeps per tensor: a mergeable histogram with exact min/max, and the moving
// averages of per-observation min/max (ONNX Runtime's MinMax calibrator with moving_average).
// Its size is bounded by the bin budget, whatever the number of samples or the tensor size:
// calibration copies only these statistics out of each observed tensor.
#pragma once

#include <cstdint>

#include "passes/quant/calibration/histogram.h"
#include "runtime/tensor.h"

namespace onnxkit::quant {

struct TensorStatistics {
  explicit TensorStatistics(int max_bins = Histogram::kDefaultMaxBins) : histogram(max_bins) {}

  Histogram histogram;
  // m += averaging_constant * (observed - m), starting at the first observation that had finite values.
  double moving_min = 0;
  double moving_max = 0;
  uint64_t observation_count = 0;  // observations with at least one finite value

  // Adds one observed tensor (float, double, float16 or bfloat16; other types are ignored).
  void observe(const runtime::Tensor& tensor, double averaging_constant);
  // Exact for the histogram and min/max; moving averages are weighted by observation counts.
  void merge(const TensorStatistics& other);

  bool operator==(const TensorStatistics& other) const = default;
};

// Whether calibration can observe tensors of this element type.
bool IsCalibratableType(DataType type);

}  // namespace onnxkit::quant
