#include "ir/value.h"

#include <algorithm>

#include "ir/status.h"

namespace onnxkit {

DataType Value::elemType() const {
  if (!info_.has_type() || !info_.type().has_tensor_type()) return DataType::kUndefined;
  return static_cast<DataType>(info_.type().tensor_type().elem_type());
}

std::optional<int64_t> Value::rank() const {
  if (!info_.has_type() || !info_.type().has_tensor_type() || !info_.type().tensor_type().has_shape())
    return std::nullopt;
  return info_.type().tensor_type().shape().dim_size();
}

std::optional<std::vector<int64_t>> Value::staticShape() const {
  if (!rank()) return std::nullopt;
  std::vector<int64_t> dims;
  for (const auto& dim : info_.type().tensor_type().shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() < 0) return std::nullopt;
    dims.push_back(dim.dim_value());
  }
  return dims;
}

void Value::removeUse(Node* user, size_t input_index) {
  auto it = std::find(uses_.begin(), uses_.end(), Use{user, input_index});
  ONNXKIT_CHECK(it != uses_.end(), "value '{}' has no use at input {}", name(), input_index);
  uses_.erase(it);
}

}  // namespace onnxkit
