#include "passes/fuse/fusion_util.h"

#include <algorithm>
#include <cmath>

#include "ir/pattern.h"
#include "ir/rewrite.h"

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

std::optional<std::vector<int64_t>> ReadInts(const TensorPtr& tensor) {
  if (!tensor || (tensor->dtype() != DataType::kInt64 && tensor->dtype() != DataType::kInt32)) return std::nullopt;
  std::vector<int64_t> values(static_cast<size_t>(tensor->elementCount()));
  for (size_t i = 0; i < values.size(); ++i) values[i] = tensor->ElementAsInt64(static_cast<int64_t>(i));
  return values;
}

TensorPtr MakeInt64Vector(std::span<const int64_t> values) {
  return Tensor::FromValues<int64_t>(DataType::kInt64, {static_cast<int64_t>(values.size())}, values);
}

TensorPtr MakeFloatTensor(DataType type, std::vector<int64_t> dims, std::span<const double> values) {
  switch (type) {
    case DataType::kDouble:
      return Tensor::FromValues<double>(type, std::move(dims), values);
    case DataType::kFloat: {
      std::vector<float> floats(values.begin(), values.end());
      return Tensor::FromValues<float>(type, std::move(dims), floats);
    }
    case DataType::kFloat16:
    case DataType::kBfloat16: {
      // Rounded through float: exact for the values callers store in these types (values that
      // already were float16/bfloat16, powers of two); a general value could round twice.
      std::vector<uint16_t> bits(values.size());
      for (size_t i = 0; i < values.size(); ++i) {
        float f = static_cast<float>(values[i]);
        bits[i] = type == DataType::kFloat16 ? FloatToHalf(f) : FloatToBfloat(f);
      }
      return Tensor::FromValues<uint16_t>(type, std::move(dims), bits);
    }
    default:
      return nullptr;
  }
}

TensorPtr ScaleElements(const Tensor& weight, const std::function<double(int64_t)>& factor_of) {
  std::vector<int64_t> dims(weight.dims().begin(), weight.dims().end());
  std::vector<double> scaled(static_cast<size_t>(weight.elementCount()));
  for (int64_t i = 0; i < weight.elementCount(); ++i)
    scaled[static_cast<size_t>(i)] = weight.ElementAsDouble(i) * factor_of(i);
  return MakeFloatTensor(weight.dtype(), std::move(dims), scaled);
}

bool AllFinite(const Tensor& tensor) {
  if (!IsFloatingPoint(tensor.dtype())) return false;
  for (int64_t i = 0; i < tensor.elementCount(); ++i)
    if (!std::isfinite(tensor.ElementAsDouble(i))) return false;
  return true;
}

std::optional<std::vector<int64_t>> NormalizeAxes(std::span<const int64_t> axes, std::optional<int64_t> rank) {
  std::vector<int64_t> normalized;
  normalized.reserve(axes.size());
  for (int64_t axis : axes) {
    if (axis < 0) {
      if (!rank) return std::nullopt;
      axis += *rank;
      if (axis < 0) return std::nullopt;
    }
    if (rank && axis >= *rank) return std::nullopt;
    if (std::find(normalized.begin(), normalized.end(), axis) != normalized.end()) return std::nullopt;
    normalized.push_back(axis);
  }
  return normalized;
}

std::optional<int64_t> KnownRank(const Value* value) {
  if (!value) return std::nullopt;
  if (TensorPtr tensor = ConstantTensor(value)) return static_cast<int64_t>(tensor->rank());
  return value->rank();
}

std::optional<std::vector<int64_t>> KnownShape(const Value* value) {
  if (!value) return std::nullopt;
  if (TensorPtr tensor = ConstantTensor(value)) return std::vector<int64_t>(tensor->dims().begin(), tensor->dims().end());
  return value->staticShape();
}

std::optional<int64_t> KnownDim(const Value* value, int64_t axis) {
  if (!value || axis < 0) return std::nullopt;
  if (TensorPtr tensor = ConstantTensor(value)) {
    if (axis >= static_cast<int64_t>(tensor->rank())) return std::nullopt;
    return tensor->dims()[static_cast<size_t>(axis)];
  }
  if (!value->hasType() || !value->type().has_tensor_type() || !value->type().tensor_type().has_shape())
    return std::nullopt;
  const auto& shape = value->type().tensor_type().shape();
  if (axis >= shape.dim_size() || !shape.dim(static_cast<int>(axis)).has_dim_value() ||
      shape.dim(static_cast<int>(axis)).dim_value() < 0)
    return std::nullopt;
  return shape.dim(static_cast<int>(axis)).dim_value();
}

DataType KnownElemType(const Value* value) {
  if (!value) return DataType::kUndefined;
  if (TensorPtr tensor = ConstantTensor(value)) return tensor->dtype();
  return value->elemType();
}

bool IsInferenceBatchNorm(const Node& bn, int64_t opset) {
  if (bn.outputCount() < 1 || !bn.output(0)) return false;
  for (size_t i = 1; i < bn.outputCount(); ++i)
    if (bn.output(i)) return false;
  if (opset < 7 && bn.getInt("is_test", 0) == 0) return false;
  if (opset <= 8 && bn.getInt("spatial", 1) != 1) return false;
  return bn.getInt("training_mode", 0) == 0;
}

std::optional<std::vector<double>> PerChannelValues(const Tensor& c, int64_t rank, int64_t channels) {
  if (!IsFloatOrDouble(c) || rank < 2 || static_cast<int64_t>(c.rank()) > rank) return std::nullopt;
  int64_t offset = rank - static_cast<int64_t>(c.rank());  // c's dim j lines up with output axis j + offset
  bool per_channel = false;
  for (int64_t j = 0; j < static_cast<int64_t>(c.rank()); ++j) {
    int64_t dim = c.dims()[static_cast<size_t>(j)];
    if (dim == 1) continue;
    if (j + offset == 1 && dim == channels) {
      per_channel = true;
      continue;
    }
    return std::nullopt;
  }
  std::vector<double> values(static_cast<size_t>(channels));
  for (int64_t m = 0; m < channels; ++m) values[static_cast<size_t>(m)] = c.ElementAsDouble(per_channel ? m : 0);
  return values;
}

std::optional<std::optional<std::vector<int64_t>>> ReadAxesArgument(const Node& node, bool from_input,
                                                                   size_t input_index) {
  if (!from_input) return std::optional<std::vector<int64_t>>(node.getInts("axes"));
  const Value* input = node.input(input_index);
  if (!input) return std::optional<std::vector<int64_t>>();
  auto axes = ReadInts(ConstantTensor(input));
  if (!axes || ConstantTensor(input)->rank() > 1) return std::nullopt;
  return std::optional<std::vector<int64_t>>(std::move(*axes));
}

void SetAxesArgument(Node& node, bool from_input, size_t input_index, std::span<const int64_t> axes,
                     std::string_view name_hint) {
  if (!from_input) {
    node.setAttribute(Attribute::Ints("axes", axes));
    return;
  }
  Value* constant = node.owner()->addInitializer(name_hint, MakeInt64Vector(axes));
  while (node.inputCount() <= input_index) node.addInput(nullptr);
  node.setInput(input_index, constant);
}

bool ReplaceFusedValue(Value* old_value, Value* new_value) {
  if (!CanReplaceValue(old_value, new_value)) return false;
  if (!new_value->hasType() && old_value->hasType()) {
    *new_value->mutableType() = old_value->type();
    if (old_value->inValueInfo() && new_value->owner() == old_value->owner() && !new_value->isGraphInput() &&
        !new_value->isGraphOutput() && !new_value->isInitializer())
      new_value->owner()->setInValueInfo(new_value, true);
  }
  return ReplaceValue(old_value, new_value);
}

}  // namespace onnxkit
