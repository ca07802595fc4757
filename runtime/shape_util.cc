#include "runtime/shape_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace onnxkit::runtime {

Result<int64_t> NormalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    if (rank == 0) return Status::Error("axis {} is out of range for a scalar", axis);
    return Status::Error("axis {} is out of range for rank {}", axis, rank);
  }
  return axis < 0 ? axis + rank : axis;
}

std::vector<int64_t> Strides(std::span<const int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) strides[d - 1] = strides[d] * shape[d];
  return strides;
}

int64_t ProductOf(std::span<const int64_t> dims, size_t begin, size_t end) {
  int64_t product = 1;
  for (size_t i = begin; i < end; ++i) product *= dims[i];
  return product;
}

Result<Shape> BroadcastShapes(std::span<const Shape> shapes) {
  size_t rank = 0;
  for (const Shape& s : shapes) rank = std::max(rank, s.size());
  Shape out(rank, 1);
  for (const Shape& s : shapes) {
    for (size_t i = 0; i < s.size(); ++i) {
      size_t d = rank - s.size() + i;
      int64_t dim = s[i];
      if (dim == out[d] || dim == 1) continue;
      if (out[d] == 1) {
        out[d] = dim;
        continue;
      }
      std::string described;
      for (const Shape& t : shapes) described += (described.empty() ? "[" : " and [") + ShapeToString(t) + "]";
      return Status::Error("shapes {} cannot be broadcast together", described);
    }
  }
  return out;
}

Result<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  Shape both[] = {a, b};
  return BroadcastShapes(std::span<const Shape>(both));
}

BroadcastWalker::BroadcastWalker(const Shape& out_shape, std::span<const Shape> input_shapes)
    : out_shape_(out_shape), count_(ProductOf(out_shape, 0, out_shape.size())) {
  size_t rank = out_shape.size();
  for (const Shape& in : input_shapes) {
    std::vector<int64_t> in_strides = Strides(in);
    std::vector<int64_t> strides(rank, 0);
    for (size_t i = 0; i < in.size(); ++i) {
      size_t d = rank - in.size() + i;
      strides[d] = in[i] == 1 ? 0 : in_strides[i];
    }
    strides_.push_back(std::move(strides));
  }
}

Result<std::vector<int64_t>> ReadInt64s(const Tensor& tensor, std::string_view what) {
  if (tensor.rank() > 1) return Status::Error("{} must be 1-D, got shape [{}]", what, ShapeToString(tensor.shape()));
  std::vector<int64_t> values(static_cast<size_t>(tensor.elementCount()));
  if (tensor.dtype() == DataType::kInt64) {
    if (!values.empty()) std::memcpy(values.data(), tensor.raw(), values.size() * 8);
  } else if (tensor.dtype() == DataType::kInt32) {
    for (size_t i = 0; i < values.size(); ++i) values[i] = tensor.data<int32_t>()[i];
  } else {
    return Status::Error("{} must be int64 or int32, got {}", what, DataTypeName(tensor.dtype()));
  }
  return values;
}

Result<double> ReadScalarDouble(const Tensor& tensor, std::string_view what) {
  if (tensor.elementCount() != 1)
    return Status::Error("{} must have one element, got shape [{}]", what, ShapeToString(tensor.shape()));
  if (tensor.dtype() == DataType::kString || ElementSize(tensor.dtype()) == 0)
    return Status::Error("{} must be numeric, got {}", what, DataTypeName(tensor.dtype()));
  return tensor.elementAsDouble(0);
}

Result<int64_t> ReadScalarInt64(const Tensor& tensor, std::string_view what) {
  if (tensor.elementCount() != 1)
    return Status::Error("{} must have one element, got shape [{}]", what, ShapeToString(tensor.shape()));
  if (tensor.dtype() == DataType::kString || ElementSize(tensor.dtype()) == 0)
    return Status::Error("{} must be numeric, got {}", what, DataTypeName(tensor.dtype()));
  if (IsFloatingPoint(tensor.dtype()) && !std::isfinite(tensor.elementAsDouble(0)))
    return Status::Error("{} must be finite, got {}", what, tensor.elementAsDouble(0));
  return tensor.elementAsInt64(0);
}

void CopyElement(const Tensor& src, int64_t from, Tensor& dst, int64_t to) {
  if (src.dtype() == DataType::kString) {
    dst.mutableStrings()[static_cast<size_t>(to)] = src.strings()[static_cast<size_t>(from)];
    return;
  }
  size_t size = ElementSize(src.dtype());
  std::memcpy(static_cast<char*>(dst.mutableRaw()) + to * size, static_cast<const char*>(src.raw()) + from * size, size);
}

}  // namespace onnxkit::runtime
