#include "passes/quant/calibration/tensor_statistics.h"

#include <vector>

namespace onnxkit::quant {

bool IsCalibratableType(DataType type) {
  return type == DataType::kFloat || type == DataType::kDouble || type == DataType::kFloat16 ||
         type == DataType::kBfloat16;
}

void TensorStatistics::observe(const runtime::Tensor& tensor, double averaging_constant) {
  if (!tensor.defined() || !IsCalibratableType(tensor.dtype())) return;
  Histogram batch(histogram.maxBins());
  size_t n = static_cast<size_t>(tensor.elementCount());
  if (tensor.dtype() == DataType::kFloat) {
    batch.add(std::span<const float>(tensor.data<float>(), n));
  } else if (tensor.dtype() == DataType::kDouble) {
    batch.add(std::span<const double>(tensor.data<double>(), n));
  } else {
    // 16-bit floats: convert in chunks so no copy of the whole tensor is made.
    constexpr size_t kChunk = 4096;
    std::vector<float> chunk;
    for (size_t start = 0; start < n; start += kChunk) {
      chunk.clear();
      for (size_t i = start; i < std::min(n, start + kChunk); ++i)
        chunk.push_back(static_cast<float>(tensor.elementAsDouble(static_cast<int64_t>(i))));
      batch.add(chunk);
    }
  }
  if (!batch.empty()) {
    if (observation_count == 0) {
      moving_min = batch.min();
      moving_max = batch.max();
    } else {
      moving_min += averaging_constant * (batch.min() - moving_min);
      moving_max += averaging_constant * (batch.max() - moving_max);
    }
    ++observation_count;
  }
  histogram.merge(batch);
}

void TensorStatistics::merge(const TensorStatistics& other) {
  uint64_t total = observation_count + other.observation_count;
  if (total != 0 && other.observation_count != 0) {
    if (observation_count == 0) {
      moving_min = other.moving_min;
      moving_max = other.moving_max;
    } else {
      double a = static_cast<double>(observation_count) / static_cast<double>(total);
      double b = static_cast<double>(other.observation_count) / static_cast<double>(total);
      moving_min = a * moving_min + b * other.moving_min;
      moving_max = a * moving_max + b * other.moving_max;
    }
  }
  observation_count = total;
  histogram.merge(other.histogram);
}

}  // namespace onnxkit::quant
