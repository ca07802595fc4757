// Scale / zero-point arithmetic and weight quantization shared by static and dynamic
// quantization. The formulas follow ONNX Runtime's quantization tool (quant_utils.py), so a model
// quantized here gets the same parameters as one quantized by ORT from the same ranges:
//
//   range made to include 0:      rmin' = min(rmin, 0), rmax' = max(rmax, 0)
//   symmetric:                    rmax' = max(|rmin'|, |rmax'|), rmin' = -rmax'
//   scale = (rmax' - rmin') / (qmax - qmin)   (1 when below FLT_MIN; zero point 0 then)
//   zero point = round(qmin - rmin' / scale), or round((qmin + qmax) / 2) when symmetric
//   q = saturate(round_half_even(x / scale) + zero_point)
//
// [qmin, qmax]: uint8 [0, 255] (reduce_range [0, 127]); int8 [-128, 127], symmetric [-127, 127],
// reduce_range [-64, 64].
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ir/status.h"
#include "ir/tensor.h"

namespace onnxkit::quant {

enum class QuantType { kUint8, kInt8 };

DataType ToDataType(QuantType type);

struct QuantLimits {
  int32_t qmin = 0;
  int32_t qmax = 0;
};
QuantLimits LimitsOf(QuantType type, bool symmetric, bool reduce_range);

// Per-tensor parameters of an activation.
struct QuantParams {
  float scale = 1;
  int32_t zero_point = 0;
  QuantType type = QuantType::kInt8;
  bool operator==(const QuantParams&) const = default;
};
QuantParams ComputeQuantParams(double rmin, double rmax, QuantType type, bool symmetric, bool reduce_range);

// round_half_even(x / scale) + zero_point, saturated to [qmin, qmax].
int32_t QuantizeValue(float x, float scale, int32_t zero_point, QuantLimits limits);

// A quantized constant: data (int8/uint8, same dims as the float tensor), one scale and zero
// point per channel along `axis` (a single one when axis is nullopt).
struct QuantizedWeight {
  TensorPtr data;
  std::vector<float> scales;
  std::vector<int32_t> zero_points;
  std::optional<int64_t> axis;
  QuantType type = QuantType::kInt8;
};
struct WeightOptions {
  QuantType type = QuantType::kInt8;
  bool symmetric = true;
  bool reduce_range = false;
};
// Quantizes a float tensor per tensor (axis nullopt) or per channel along `axis` (0 <= axis < rank).
Result<QuantizedWeight> QuantizeWeight(const Tensor& weight, std::optional<int64_t> axis, const WeightOptions& options);

// A bias as int32 with scale[c] = input_scale * weight_scales[c] (one weight scale: per tensor),
// zero point 0: q = saturate_int32(round(b / scale)). Returns the int32 tensor (dims of `bias`,
// which must be 1-D when there are several weight scales) and the scales.
struct QuantizedBias {
  TensorPtr data;
  std::vector<float> scales;
};
Result<QuantizedBias> QuantizeBias(const Tensor& bias, float input_scale, std::span<const float> weight_scales);

// Tensors for scales and zero points: a scalar when there is one value, else 1-D.
TensorPtr ScaleTensor(std::span<const float> scales);
TensorPtr ZeroPointTensor(std::span<const int32_t> zero_points, DataType type);

}  // namespace onnxkit::quant
