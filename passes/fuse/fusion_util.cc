#include "passes/fuse/fusion_util.h"

namespace onnxkit {

bool UsedOnlyBy(const Value* value, const Node& node) {
  if (!value || value->isGraphOutput()) return false;
  for (const Use& use : value->uses())
    if (use.user != &node) return false;
  return true;
}

bool IsFloatOrDouble(const Tensor& tensor) {
  return tensor.dtype() == DataType::kFloat || tensor.dtype() == DataType::kDouble;
}

std::optional<std::vector<double>> ReadDoubles(const TensorPtr& tensor, int64_t count) {
  if (!tensor || !IsFloatOrDouble(*tensor)) return std::nullopt;
  if (count >= 0 && tensor->elementCount() != count) return std::nullopt;
  std::vector<double> values(static_cast<size_t>(tensor->elementCount()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = tensor->ElementAsDouble(static_cast<int64_t>(i));
  return values;
}

TensorPtr MakeVector(DataType type, std::span<const double> values) {
  int64_t count = static_cast<int64_t>(values.size());
  if (type == DataType::kDouble) return Tensor::FromValues<double>(type, {count}, values);
  std::vector<float> floats(values.begin(), values.end());
  return Tensor::FromValues<float>(DataType::kFloat, {count}, floats);
}

TensorPtr ScalePerOutputChannel(const Tensor& weight, std::span<const double> factor) {
  std::vector<int64_t> dims(weight.dims().begin(), weight.dims().end());
  int64_t channels = dims[0];
  int64_t per_channel = channels == 0 ? 0 : weight.elementCount() / channels;
  std::vector<double> scaled(static_cast<size_t>(weight.elementCount()));
  for (int64_t m = 0; m < channels; ++m)
    for (int64_t k = 0; k < per_channel; ++k) {
      int64_t i = m * per_channel + k;
      scaled[static_cast<size_t>(i)] = weight.ElementAsDouble(i) * factor[static_cast<size_t>(m)];
    }
  if (weight.dtype() == DataType::kDouble) return Tensor::FromValues<double>(DataType::kDouble, dims, scaled);
  std::vector<float> floats(scaled.begin(), scaled.end());
  return Tensor::FromValues<float>(DataType::kFloat, dims, floats);
}

}  // namespace onnxkit
