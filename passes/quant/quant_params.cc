#include "passes/quant/quant_params.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace onnxkit::quant {

DataType ToDataType(QuantType type) { return type == QuantType::kUint8 ? DataType::kUint8 : DataType::kInt8; }

QuantLimits LimitsOf(QuantType type, bool symmetric, bool reduce_range) {
  if (type == QuantType::kUint8) return reduce_range ? QuantLimits{0, 127} : QuantLimits{0, 255};
  if (reduce_range) return {-64, 64};
  return symmetric ? QuantLimits{-127, 127} : QuantLimits{-128, 127};
}

QuantParams ComputeQuantParams(double rmin, double rmax, QuantType type, bool symmetric, bool reduce_range) {
  QuantLimits limits = LimitsOf(type, symmetric, reduce_range);
  // ORT computes in the range's type (float32): round the inputs to float first.
  rmin = std::min(static_cast<double>(static_cast<float>(rmin)), 0.0);
  rmax = std::max(static_cast<double>(static_cast<float>(rmax)), 0.0);
  if (symmetric) {
    double absmax = std::max(std::fabs(rmin), std::fabs(rmax));
    rmin = -absmax;
    rmax = absmax;
  }
  QuantParams params;
  params.type = type;
  double scale = (rmax - rmin) / (static_cast<double>(limits.qmax) - limits.qmin);
  if (!(scale >= FLT_MIN) || !std::isfinite(scale)) return params;  // scale 1, zero point 0
  if (symmetric)
    params.zero_point = static_cast<int32_t>(std::nearbyint((limits.qmin + limits.qmax) / 2.0));
  else
    params.zero_point = static_cast<int32_t>(std::nearbyint(limits.qmin - rmin / scale));
  params.scale = static_cast<float>(scale);
  return params;
}

int32_t QuantizeValue(float x, float scale, int32_t zero_point, QuantLimits limits) {
  double q = std::nearbyint(static_cast<double>(x / scale)) + zero_point;
  if (std::isnan(q)) q = zero_point;
  return static_cast<int32_t>(std::clamp(q, static_cast<double>(limits.qmin), static_cast<double>(limits.qmax)));
}

Result<QuantizedWeight> QuantizeWeight(const Tensor& weight, std::optional<int64_t> axis, const WeightOptions& options) {
  if (weight.dtype() != DataType::kFloat)
    return Status::Error("weight '{}' is {}, only float weights are quantized", weight.name(), DataTypeName(weight.dtype()));
  if (axis && (*axis < 0 || *axis >= static_cast<int64_t>(weight.rank())))
    return Status::Error("weight '{}': channel axis {} is out of range for rank {}", weight.name(), *axis, weight.rank());
  std::vector<float> values = weight.ToVector<float>();
  std::span<const int64_t> dims = weight.dims();
  int64_t channels = axis ? dims[static_cast<size_t>(*axis)] : 1;
  int64_t inner = 1;
  if (axis)
    for (size_t d = static_cast<size_t>(*axis) + 1; d < dims.size(); ++d) inner *= dims[d];
  auto channel_of = [&](int64_t i) { return axis ? (i / inner) % channels : 0; };

  std::vector<double> mins(static_cast<size_t>(channels), 0.0), maxs(static_cast<size_t>(channels), 0.0);
  for (int64_t i = 0; i < static_cast<int64_t>(values.size()); ++i) {
    size_t c = static_cast<size_t>(channel_of(i));
    float v = values[static_cast<size_t>(i)];
    if (!std::isfinite(v)) return Status::Error("weight '{}' has a non-finite element", weight.name());
    mins[c] = std::min(mins[c], static_cast<double>(v));
    maxs[c] = std::max(maxs[c], static_cast<double>(v));
  }
  QuantizedWeight out;
  out.axis = axis;
  out.type = options.type;
  for (size_t c = 0; c < mins.size(); ++c) {
    QuantParams p = ComputeQuantParams(mins[c], maxs[c], options.type, options.symmetric, options.reduce_range);
    out.scales.push_back(p.scale);
    out.zero_points.push_back(p.zero_point);
  }
  QuantLimits limits = LimitsOf(options.type, options.symmetric, options.reduce_range);
  std::vector<std::byte> bytes(values.size());
  for (int64_t i = 0; i < static_cast<int64_t>(values.size()); ++i) {
    size_t c = static_cast<size_t>(channel_of(i));
    int32_t q = QuantizeValue(values[static_cast<size_t>(i)], out.scales[c], out.zero_points[c], limits);
    bytes[static_cast<size_t>(i)] = options.type == QuantType::kUint8 ? static_cast<std::byte>(static_cast<uint8_t>(q))
                                                                      : static_cast<std::byte>(static_cast<int8_t>(q));
  }
  out.data = Tensor::Create(ToDataType(options.type), std::vector<int64_t>(dims.begin(), dims.end()),
                            SharedBytes::FromVector(std::move(bytes)));
  return out;
}

Result<QuantizedBias> QuantizeBias(const Tensor& bias, float input_scale, std::span<const float> weight_scales) {
  if (bias.dtype() != DataType::kFloat)
    return Status::Error("bias '{}' is {}, only float biases are quantized", bias.name(), DataTypeName(bias.dtype()));
  std::vector<float> values = bias.ToVector<float>();
  if (weight_scales.size() > 1 && (bias.rank() != 1 || values.size() != weight_scales.size()))
    return Status::Error("bias '{}' does not have one element per weight channel ({})", bias.name(), weight_scales.size());
  QuantizedBias out;
  for (float w : weight_scales) {
    float s = input_scale * w;  // float32 product, as ORT
    out.scales.push_back(s > 0 && std::isfinite(s) ? s : 1.0f);
  }
  std::vector<int32_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    float s = out.scales[out.scales.size() == 1 ? 0 : i];
    double v = std::nearbyint(static_cast<double>(values[i]) / s);
    if (std::isnan(v)) v = 0;
    q[i] = static_cast<int32_t>(std::clamp(v, static_cast<double>(std::numeric_limits<int32_t>::min()),
                                           static_cast<double>(std::numeric_limits<int32_t>::max())));
  }
  std::span<const int64_t> dims = bias.dims();
  out.data = Tensor::FromValues<int32_t>(DataType::kInt32, std::vector<int64_t>(dims.begin(), dims.end()), q);
  return out;
}

TensorPtr ScaleTensor(std::span<const float> scales) {
  std::vector<int64_t> dims;
  if (scales.size() != 1) dims.push_back(static_cast<int64_t>(scales.size()));
  return Tensor::FromValues<float>(DataType::kFloat, dims, scales);
}

TensorPtr ZeroPointTensor(std::span<const int32_t> zero_points, DataType type) {
  std::vector<int64_t> dims;
  if (zero_points.size() != 1) dims.push_back(static_cast<int64_t>(zero_points.size()));
  std::vector<std::byte> bytes;
  for (int32_t z : zero_points)
    bytes.push_back(type == DataType::kUint8 ? static_cast<std::byte>(static_cast<uint8_t>(z))
                                             : static_cast<std::byte>(static_cast<int8_t>(z)));
  return Tensor::Create(type, dims, SharedBytes::FromVector(std::move(bytes)));
}

}  // namespace onnxkit::quant
