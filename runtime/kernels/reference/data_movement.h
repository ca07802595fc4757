// Helpers shared by the data-movement kernels (tensor_shape.cc, tensor_index.cc):
// kernels that copy elements without looking at their values dispatch on the storage size only,
// so every element type (string and bool included) goes through the same few instantiations.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "runtime/dispatch.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

// Calls f.template operator()<S>() where S is an unsigned integer of the element's size, or
// std::string for strings. Bit-exact copies of S move elements of any type.
template <typename F>
Status DispatchStorage(DataType type, std::string_view op, F&& f) {
  switch (type) {
    case DataType::kString: return f.template operator()<std::string>();
    case DataType::kBool:
    case DataType::kInt8:
    case DataType::kUint8: return f.template operator()<uint8_t>();
    case DataType::kInt16:
    case DataType::kUint16:
    case DataType::kFloat16:
    case DataType::kBfloat16: return f.template operator()<uint16_t>();
    case DataType::kInt32:
    case DataType::kUint32:
    case DataType::kFloat: return f.template operator()<uint32_t>();
    case DataType::kInt64:
    case DataType::kUint64:
    case DataType::kDouble: return f.template operator()<uint64_t>();
    default: return Status::Error("{} does not support element type {}", op, DataTypeName(type));
  }
}

// Element pointers of a tensor as storage type S (see DispatchStorage).
template <typename S>
const S* StorageOf(const Tensor& tensor) {
  if constexpr (std::is_same_v<S, std::string>) return tensor.strings().data();
  else return static_cast<const S*>(tensor.raw());
}
template <typename S>
S* MutableStorageOf(Tensor& tensor) {
  if constexpr (std::is_same_v<S, std::string>) return tensor.mutableStrings().data();
  else return static_cast<S*>(tensor.mutableRaw());
}

// Gathers `out` (shape: the sizes of `maps`) from `in` (shape `in_shape`, same rank) axis by axis:
//   out[o0, o1, ...] = in[maps[0][o0], maps[1][o1], ...]
// or `fill` when any maps[d][od] is negative. Every non-negative map entry must be < in_shape[d].
template <typename S>
void CopyByAxisMaps(const S* in, const Shape& in_shape, const std::vector<std::vector<int64_t>>& maps, const S& fill,
                    S* out) {
  size_t rank = maps.size();
  if (rank == 0) {
    out[0] = in[0];
    return;
  }
  for (const auto& map : maps)
    if (map.empty()) return;  // no output elements
  std::vector<int64_t> strides = Strides(in_shape);
  // index[d]: current output index of axis d; base[d]: input offset of the axes before d
  // (negative when one of them maps to the fill value).
  std::vector<int64_t> index(rank, 0);
  std::vector<int64_t> base(rank + 1, 0);
  auto refresh = [&](size_t from) {
    for (size_t d = from; d + 1 < rank; ++d) {
      int64_t i = maps[d][static_cast<size_t>(index[d])];
      base[d + 1] = (base[d] < 0 || i < 0) ? -1 : base[d] + i * strides[d];
    }
  };
  refresh(0);
  const std::vector<int64_t>& last = maps[rank - 1];
  size_t inner = last.size();
  int64_t last_stride = strides[rank - 1];
  for (;;) {
    int64_t row = base[rank - 1];
    if (row < 0) {
      for (size_t j = 0; j < inner; ++j) out[j] = fill;
    } else {
      for (size_t j = 0; j < inner; ++j) out[j] = last[j] < 0 ? fill : in[row + last[j] * last_stride];
    }
    out += inner;
    // Advance the odometer over the outer axes.
    size_t d = rank - 1;
    for (;;) {
      if (d == 0) return;
      --d;
      if (++index[d] < static_cast<int64_t>(maps[d].size())) break;
      index[d] = 0;
    }
    refresh(d);
  }
}

// Copies `out` (shape `out_shape`) from `in` walking with per-output-axis input strides:
//   out[o0, o1, ...] = in[offset + o0 * in_strides[0] + o1 * in_strides[1] + ...]
template <typename S>
void StridedCopy(const S* in, int64_t offset, const std::vector<int64_t>& in_strides, const Shape& out_shape, S* out) {
  size_t rank = out_shape.size();
  if (rank == 0) {
    out[0] = in[offset];
    return;
  }
  for (int64_t dim : out_shape)
    if (dim == 0) return;
  std::vector<int64_t> index(rank, 0);
  int64_t inner = out_shape[rank - 1];
  int64_t inner_stride = in_strides[rank - 1];
  int64_t position = offset;
  for (;;) {
    for (int64_t j = 0; j < inner; ++j) out[j] = in[position + j * inner_stride];
    out += inner;
    size_t d = rank - 1;
    for (;;) {
      if (d == 0) return;
      --d;
      position += in_strides[d];
      if (++index[d] < out_shape[d]) break;
      position -= in_strides[d] * out_shape[d];
      index[d] = 0;
    }
  }
}

// Reads an index tensor (int32 or int64, any rank) into int64 values.
inline Result<std::vector<int64_t>> ReadIndexValues(const Tensor& indices, std::string_view what) {
  std::vector<int64_t> values(static_cast<size_t>(indices.elementCount()));
  if (indices.dtype() == DataType::kInt64) {
    if (!values.empty()) std::memcpy(values.data(), indices.raw(), values.size() * sizeof(int64_t));
  } else if (indices.dtype() == DataType::kInt32) {
    const int32_t* data = indices.data<int32_t>();
    for (size_t i = 0; i < values.size(); ++i) values[i] = data[i];
  } else {
    return Status::Error("{} must be int64 or int32, got {}", what, DataTypeName(indices.dtype()));
  }
  return values;
}

// Checks that an index lies in [0, dim) — or in [-dim, dim) when `allow_negative`, a negative
// value then wrapping — else the error names `what`, the value, the axis and its size.
inline Status NormalizeIndex(int64_t& value, int64_t dim, bool allow_negative, int64_t axis, std::string_view what) {
  if (value < 0 && allow_negative) value += dim;
  if (value < 0 || value >= dim) {
    int64_t original = value < 0 && allow_negative ? value - dim : value;
    return Status::Error("{} value {} is out of range for axis {} of size {}", what, original, axis, dim);
  }
  return Status::Ok();
}

}  // namespace onnxkit::runtime::reference
