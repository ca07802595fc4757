// Activation ranges: what calibration produces and static quantization consumes.
#pragma once

#include <map>
#include <string>

namespace onnxkit::quant {

// The float range [min, max] a tensor is quantized over (before making it include 0).
struct TensorRange {
  double min = 0;
  double max = 0;
};

// Tensor (value) name -> range.
using RangeTable = std::map<std::string, TensorRange>;

}  // namespace onnxkit::quant
