// Index-taking kernels: Gather, GatherElements, GatherND, Scatter, ScatterElements, ScatterND,
// OneHot, NonZero, TopK, CumSum, Unique. Every index is checked before it is used: negative
// indices wrap where the op's version allows them, anything else out of range is an error.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/data_movement.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// Row-major multi-index of flat position `flat` in `shape`.
void Unravel(int64_t flat, std::span<const int64_t> shape, std::vector<int64_t>& index) {
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = shape[d] == 0 ? 0 : flat % shape[d];
    flat = shape[d] == 0 ? 0 : flat / shape[d];
  }
}

// Reads `indices` and checks every value against `dim` (wrapping negative ones when allowed).
Result<std::vector<int64_t>> ReadCheckedIndices(const Tensor& indices, int64_t dim, bool allow_negative, int64_t axis) {
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> values, ReadIndexValues(indices, "indices"));
  for (int64_t& v : values) ONNXKIT_RETURN_IF_ERROR(NormalizeIndex(v, dim, allow_negative, axis, "indices"));
  return values;
}

// Integer arithmetic wraps (no signed overflow); 16-bit floats compute in float.
template <typename T>
T AddValues(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) return a || b;
  else if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  else return FromCompute<T>(ToCompute(a) + ToCompute(b));
}
template <typename T>
T MulValues(T a, T b) {
  if constexpr (std::is_same_v<T, bool>) return a && b;
  else if constexpr (std::is_integral_v<T>) return static_cast<T>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  else return FromCompute<T>(ToCompute(a) * ToCompute(b));
}

// A total order for sorting: NaN after every number, NaNs equal to each other.
template <typename T>
int CompareValues(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, std::string>) {
    int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else {
    auto x = ToCompute(a);
    auto y = ToCompute(b);
    if constexpr (std::is_floating_point_v<decltype(x)>) {
      bool x_nan = std::isnan(x), y_nan = std::isnan(y);
      if (x_nan || y_nan) return x_nan == y_nan ? 0 : (x_nan ? 1 : -1);
    }
    return x < y ? -1 : (y < x ? 1 : 0);
  }
}

// ---------------------------------------------------------------------------------------------
// Gather, GatherElements, GatherND

// Gather-1: indices in [0, s). Gather-11+: also [-s, 0).
template <int kVersion>
Status Gather(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* data, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(1));
  if (data->rank() == 0) return Status::Error("data must have rank >= 1");
  ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(context.node().getInt("axis", 0), static_cast<int64_t>(data->rank())));
  size_t ax = static_cast<size_t>(axis);
  int64_t dim = data->dim(ax);
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> index, ReadCheckedIndices(*indices, dim, kVersion >= 11, axis));
  Shape out_shape(data->shape().begin(), data->shape().begin() + axis);
  out_shape.insert(out_shape.end(), indices->shape().begin(), indices->shape().end());
  out_shape.insert(out_shape.end(), data->shape().begin() + axis + 1, data->shape().end());
  int64_t outer = ProductOf(data->shape(), 0, ax);
  int64_t inner = ProductOf(data->shape(), ax + 1, data->rank());
  return DispatchStorage(data->dtype(), "Gather", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, data->dtype(), out_shape));
    if (y->elementCount() == 0) return Status::Ok();
    const S* in = StorageOf<S>(*data);
    S* out = MutableStorageOf<S>(*y);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i : index) {
        const S* from = in + (o * dim + i) * inner;
        out = std::copy(from, from + inner, out);
      }
    }
    return Status::Ok();
  });
}

// Checks the shapes shared by GatherElements and ScatterElements: indices of the data's rank, no
// larger than the data outside `axis`.
Status CheckElementsShapes(const Tensor& data, const Tensor& indices, size_t axis) {
  if (indices.rank() != data.rank())
    return Status::Error("indices have rank {} but data has rank {}", indices.rank(), data.rank());
  for (size_t d = 0; d < data.rank(); ++d)
    if (d != axis && indices.dim(d) > data.dim(d))
      return Status::Error("indices shape [{}] exceeds data shape [{}] on axis {}", ShapeToString(indices.shape()),
                           ShapeToString(data.shape()), d);
  return Status::Ok();
}

// GatherElements-11/13: out[i][j][k] = data[indices[i][j][k]][j][k] (for axis 0).
Status GatherElements(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* data, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(1));
  if (data->rank() == 0) return Status::Error("data must have rank >= 1");
  ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(context.node().getInt("axis", 0), static_cast<int64_t>(data->rank())));
  size_t ax = static_cast<size_t>(axis);
  ONNXKIT_RETURN_IF_ERROR(CheckElementsShapes(*data, *indices, ax));
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> index, ReadCheckedIndices(*indices, data->dim(ax), true, axis));
  std::vector<int64_t> strides = Strides(data->shape());
  return DispatchStorage(data->dtype(), "GatherElements", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, data->dtype(), indices->shape()));
    if (y->elementCount() == 0) return Status::Ok();
    const S* in = StorageOf<S>(*data);
    S* out = MutableStorageOf<S>(*y);
    std::vector<int64_t> position(data->rank());
    for (int64_t e = 0; e < y->elementCount(); ++e) {
      Unravel(e, indices->shape(), position);
      position[ax] = index[static_cast<size_t>(e)];
      int64_t offset = 0;
      for (size_t d = 0; d < position.size(); ++d) offset += position[d] * strides[d];
      out[e] = in[offset];
    }
    return Status::Ok();
  });
}

// The layout of a GatherND/ScatterND problem: `batches` groups; in each, `tuples` index tuples of
// `depth` coordinates, each selecting a slice of `slice` elements of the data.
struct NdLayout {
  int64_t batches = 1;
  int64_t tuples = 1;
  int64_t depth = 0;
  int64_t slice = 1;
  int64_t batch_stride = 0;       // data elements per batch
  std::vector<int64_t> offsets;   // per (batch, tuple): the slice's offset within its batch
};

Result<NdLayout> PlanNd(const Tensor& data, const Tensor& indices, int64_t batch_dims) {
  size_t r = data.rank();
  size_t q = indices.rank();
  if (r == 0) return Status::Error("data must have rank >= 1");
  if (q == 0) return Status::Error("indices must have rank >= 1");
  if (batch_dims < 0 || static_cast<size_t>(batch_dims) >= std::min(q, r))
    return Status::Error("batch_dims {} must be in [0, {}) for data rank {} and indices rank {}", batch_dims,
                         std::min(q, r), r, q);
  size_t b = static_cast<size_t>(batch_dims);
  for (size_t d = 0; d < b; ++d)
    if (indices.dim(d) != data.dim(d))
      return Status::Error("batch dimension {} differs: indices shape [{}], data shape [{}]", d,
                           ShapeToString(indices.shape()), ShapeToString(data.shape()));
  NdLayout layout;
  layout.depth = indices.dim(q - 1);
  if (layout.depth < 1 || static_cast<size_t>(layout.depth) > r - b)
    return Status::Error("the last indices dimension {} must be in [1, {}] (data shape [{}], batch_dims {})",
                         layout.depth, r - b, ShapeToString(data.shape()), b);
  layout.batches = ProductOf(data.shape(), 0, b);
  layout.tuples = ProductOf(indices.shape(), b, q - 1);
  layout.slice = ProductOf(data.shape(), b + static_cast<size_t>(layout.depth), r);
  layout.batch_stride = ProductOf(data.shape(), b, r);
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> values, ReadIndexValues(indices, "indices"));
  std::vector<int64_t> strides = Strides(data.shape());
  layout.offsets.resize(static_cast<size_t>(layout.batches * layout.tuples));
  for (size_t t = 0; t < layout.offsets.size(); ++t) {
    int64_t offset = 0;
    for (int64_t j = 0; j < layout.depth; ++j) {
      size_t axis = b + static_cast<size_t>(j);
      int64_t v = values[t * static_cast<size_t>(layout.depth) + static_cast<size_t>(j)];
      ONNXKIT_RETURN_IF_ERROR(NormalizeIndex(v, data.dim(axis), true, static_cast<int64_t>(axis), "indices"));
      offset += v * strides[axis];
    }
    layout.offsets[t] = offset;
  }
  return layout;
}

// GatherND-11: no batch dims. GatherND-12+: `batch_dims`.
template <int kVersion>
Status GatherND(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* data, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(1));
  int64_t batch_dims = kVersion >= 12 ? context.node().getInt("batch_dims", 0) : 0;
  ONNXKIT_ASSIGN_OR_RETURN(NdLayout layout, PlanNd(*data, *indices, batch_dims));
  Shape out_shape(indices->shape().begin(), indices->shape().end() - 1);
  out_shape.insert(out_shape.end(), data->shape().begin() + batch_dims + layout.depth, data->shape().end());
  return DispatchStorage(data->dtype(), "GatherND", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, data->dtype(), out_shape));
    if (y->elementCount() == 0) return Status::Ok();
    const S* in = StorageOf<S>(*data);
    S* out = MutableStorageOf<S>(*y);
    for (int64_t b = 0; b < layout.batches; ++b) {
      for (int64_t t = 0; t < layout.tuples; ++t) {
        const S* from = in + b * layout.batch_stride + layout.offsets[static_cast<size_t>(b * layout.tuples + t)];
        out = std::copy(from, from + layout.slice, out);
      }
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Scatter, ScatterElements, ScatterND

enum class Reduction { kNone, kAdd, kMul, kMax, kMin };

// ScatterElements/ScatterND-16: reduction none, add, mul. -18: also max, min.
Result<Reduction> ReadReduction(const Node& node, int version) {
  if (version < 16) return Reduction::kNone;
  std::string name = node.getString("reduction", "none");
  if (name == "none") return Reduction::kNone;
  if (name == "add") return Reduction::kAdd;
  if (name == "mul") return Reduction::kMul;
  if (version >= 18 && name == "max") return Reduction::kMax;
  if (version >= 18 && name == "min") return Reduction::kMin;
  return Status::Error("unsupported reduction '{}'", name);
}

template <typename T>
T Combine(Reduction reduction, T current, T update) {
  switch (reduction) {
    case Reduction::kNone: return update;
    case Reduction::kAdd: return AddValues(current, update);
    case Reduction::kMul: return MulValues(current, update);
    case Reduction::kMax: return CompareValues(update, current) > 0 ? update : current;
    case Reduction::kMin: return CompareValues(update, current) < 0 ? update : current;
  }
  return update;
}

// Runs `scatter.template operator()<T>(out_elements, update_elements)` on a copy of `data` in
// output 0: any type for plain assignment, numeric and bool for reductions.
template <typename F>
Status ScatterInto(KernelContext& context, const Tensor& data, const Tensor& updates, Reduction reduction,
                   std::string_view op, F&& scatter) {
  if (updates.dtype() != data.dtype())
    return Status::Error("updates have type {} but data has type {}", DataTypeName(updates.dtype()),
                         DataTypeName(data.dtype()));
  auto run = [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, data.dtype(), data.shape()));
    if (y->elementCount() == 0) return Status::Ok();
    T* out = MutableStorageOf<T>(*y);
    std::copy(StorageOf<T>(data), StorageOf<T>(data) + data.elementCount(), out);
    if (updates.elementCount() > 0) scatter.template operator()<T>(out, StorageOf<T>(updates));
    return Status::Ok();
  };
  if (reduction == Reduction::kNone) return DispatchStorage(data.dtype(), op, run);
  // StorageOf<T> is a plain cast for every non-string T.
  return DispatchNumericOrBool(data.dtype(), op, run);
}

// Scatter-9 (indices in [0, s)) and ScatterElements-11+ (also [-s, 0), reductions from 16).
template <int kVersion>
Status ScatterElementsOp(KernelContext& context, bool allow_negative, std::string_view op) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* data, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(1));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* updates, context.requiredInput(2));
  ONNXKIT_ASSIGN_OR_RETURN(Reduction reduction, ReadReduction(context.node(), kVersion));
  if (data->rank() == 0) return Status::Error("data must have rank >= 1");
  ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(context.node().getInt("axis", 0), static_cast<int64_t>(data->rank())));
  size_t ax = static_cast<size_t>(axis);
  ONNXKIT_RETURN_IF_ERROR(CheckElementsShapes(*data, *indices, ax));
  if (updates->shape() != indices->shape())
    return Status::Error("updates shape [{}] differs from indices shape [{}]", ShapeToString(updates->shape()),
                         ShapeToString(indices->shape()));
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> index, ReadCheckedIndices(*indices, data->dim(ax), allow_negative, axis));
  std::vector<int64_t> strides = Strides(data->shape());
  return ScatterInto(context, *data, *updates, reduction, op, [&]<typename T>(T* out, const T* update) {
    std::vector<int64_t> position(data->rank());
    for (int64_t e = 0; e < updates->elementCount(); ++e) {
      Unravel(e, indices->shape(), position);
      position[ax] = index[static_cast<size_t>(e)];
      int64_t offset = 0;
      for (size_t d = 0; d < position.size(); ++d) offset += position[d] * strides[d];
      if constexpr (std::is_same_v<T, std::string>) out[offset] = update[e];  // strings: no reduction
      else out[offset] = Combine(reduction, out[offset], update[e]);
    }
  });
}

Status Scatter(KernelContext& context) { return ScatterElementsOp<9>(context, false, "Scatter"); }

template <int kVersion>
Status ScatterElements(KernelContext& context) {
  return ScatterElementsOp<kVersion>(context, true, "ScatterElements");
}

// ScatterND-11/13; reductions from 16 (add, mul) and 18 (max, min).
template <int kVersion>
Status ScatterND(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* data, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(1));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* updates, context.requiredInput(2));
  ONNXKIT_ASSIGN_OR_RETURN(Reduction reduction, ReadReduction(context.node(), kVersion));
  ONNXKIT_ASSIGN_OR_RETURN(NdLayout layout, PlanNd(*data, *indices, 0));
  Shape expected(indices->shape().begin(), indices->shape().end() - 1);
  expected.insert(expected.end(), data->shape().begin() + layout.depth, data->shape().end());
  if (updates->shape() != expected)
    return Status::Error("updates shape [{}] must be [{}] for data [{}] and indices [{}]",
                         ShapeToString(updates->shape()), ShapeToString(expected), ShapeToString(data->shape()),
                         ShapeToString(indices->shape()));
  return ScatterInto(context, *data, *updates, reduction, "ScatterND", [&]<typename T>(T* out, const T* update) {
    for (int64_t t = 0; t < layout.tuples; ++t) {
      T* to = out + layout.offsets[static_cast<size_t>(t)];
      const T* from = update + t * layout.slice;
      for (int64_t i = 0; i < layout.slice; ++i) {
        if constexpr (std::is_same_v<T, std::string>) to[i] = from[i];  // strings: no reduction
        else to[i] = Combine(reduction, to[i], from[i]);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// OneHot, NonZero

// OneHot-9: indices outside [0, depth) give an all-off row. OneHot-11+: [-depth, 0) wraps too.
template <int kVersion>
Status OneHot(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* depth_input, context.requiredInput(1));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* values, context.requiredInput(2));
  if (indices->dtype() == DataType::kString || indices->dtype() == DataType::kBool)
    return Status::Error("indices must be numeric, got {}", DataTypeName(indices->dtype()));
  if (values->rank() != 1 || values->elementCount() != 2)
    return Status::Error("values must be 1-D with two elements [off, on], got shape [{}]",
                         ShapeToString(values->shape()));
  ONNXKIT_ASSIGN_OR_RETURN(double depth_value, ReadScalarDouble(*depth_input, "depth"));
  if (!(depth_value >= 0 && depth_value < 9.0e18)) return Status::Error("depth {} is invalid", depth_value);
  int64_t depth = static_cast<int64_t>(depth_value);
  int64_t rank = static_cast<int64_t>(indices->rank());
  int64_t axis = context.node().getInt("axis", -1);
  if (axis < -rank - 1 || axis > rank)
    return Status::Error("axis {} is out of range [{}, {}] for indices of rank {}", axis, -rank - 1, rank, rank);
  if (axis < 0) axis += rank + 1;
  size_t ax = static_cast<size_t>(axis);
  Shape out_shape(indices->shape().begin(), indices->shape().begin() + axis);
  out_shape.push_back(depth);
  out_shape.insert(out_shape.end(), indices->shape().begin() + axis, indices->shape().end());
  int64_t outer = ProductOf(indices->shape(), 0, ax);
  int64_t inner = ProductOf(indices->shape(), ax, indices->rank());
  bool integer = IsInteger(indices->dtype());
  return DispatchStorage(values->dtype(), "OneHot", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, values->dtype(), out_shape));
    if (y->elementCount() == 0) return Status::Ok();
    S* out = MutableStorageOf<S>(*y);
    const S& off = StorageOf<S>(*values)[0];
    const S& on = StorageOf<S>(*values)[1];
    std::fill_n(out, y->elementCount(), off);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        int64_t e = o * inner + i;
        int64_t hot;
        if (indices->dtype() == DataType::kUint64) {
          uint64_t v = indices->data<uint64_t>()[e];
          if (v >= static_cast<uint64_t>(depth)) continue;
          hot = static_cast<int64_t>(v);
        } else if (integer) {
          hot = indices->elementAsInt64(e);
        } else {
          double v = indices->elementAsDouble(e);
          if (!(std::abs(v) < 9.0e18)) continue;  // NaN, infinite or huge: no hot entry
          hot = static_cast<int64_t>(v);
        }
        if (hot < 0 && kVersion >= 11) hot += depth;
        if (hot < 0 || hot >= depth) continue;
        out[(o * depth + hot) * inner + i] = on;
      }
    }
    return Status::Ok();
  });
}

// NonZero-9/13: the indices of the non-zero elements, shape [rank, count] (a scalar counts as 1-D).
Status NonZero(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  return DispatchNumericOrBool(x->dtype(), "NonZero", [&]<typename T>() -> Status {
    const T* in = x->data<T>();
    int64_t count = 0;
    for (int64_t i = 0; i < x->elementCount(); ++i)
      if (ToCompute(in[i]) != ComputeType<T>(0)) ++count;
    Shape shape = x->rank() == 0 ? Shape{1} : x->shape();
    int64_t rank = static_cast<int64_t>(shape.size());
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kInt64, {rank, count}));
    int64_t* out = y->mutableData<int64_t>();
    std::vector<int64_t> position(shape.size());
    int64_t column = 0;
    for (int64_t i = 0; i < x->elementCount(); ++i) {
      if (ToCompute(in[i]) == ComputeType<T>(0)) continue;
      Unravel(i, shape, position);
      for (int64_t d = 0; d < rank; ++d) out[d * count + column] = position[static_cast<size_t>(d)];
      ++column;
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// TopK, CumSum

// TopK-1: `k` attribute. TopK-10: `k` input. TopK-11+: `largest` and `sorted`. Ties keep the
// lower index first; the result is always sorted (allowed when sorted=0).
template <int kVersion>
Status TopK(KernelContext& context) {
  const Node& node = context.node();
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  int64_t k;
  if constexpr (kVersion < 10) {
    const Attribute* k_attr = node.attribute("k");
    if (!k_attr) return Status::Error("attribute 'k' is required");
    k = k_attr->i();
  } else {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* k_input, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> k_values, ReadInt64s(*k_input, "k"));
    if (k_values.size() != 1) return Status::Error("k must have one element, got {}", k_values.size());
    k = k_values[0];
  }
  bool largest = kVersion < 11 || node.getInt("largest", 1) != 0;
  if (x->rank() == 0) return Status::Error("input must have rank >= 1");
  ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(node.getInt("axis", -1), static_cast<int64_t>(x->rank())));
  size_t ax = static_cast<size_t>(axis);
  int64_t dim = x->dim(ax);
  if (k < 0 || k > dim) return Status::Error("k {} is out of range [0, {}] for axis {}", k, dim, axis);
  int64_t outer = ProductOf(x->shape(), 0, ax);
  int64_t inner = ProductOf(x->shape(), ax + 1, x->rank());
  Shape out_shape = x->shape();
  out_shape[ax] = k;
  return DispatchNumeric(x->dtype(), "TopK", [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * values, context.allocateOutput(0, x->dtype(), out_shape));
    Tensor* indices = nullptr;
    if (context.outputCount() > 1) {
      ONNXKIT_ASSIGN_OR_RETURN(indices, context.allocateOutput(1, DataType::kInt64, out_shape));
    }
    if (values->elementCount() == 0) return Status::Ok();
    const T* in = x->data<T>();
    T* out_values = values->mutableData<T>();
    int64_t* out_indices = indices ? indices->mutableData<int64_t>() : nullptr;
    std::vector<int64_t> order(static_cast<size_t>(dim));
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        const T* base = in + o * dim * inner + i;
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int64_t a, int64_t b) {
          int c = CompareValues(base[a * inner], base[b * inner]);
          if (c != 0) return largest ? c > 0 : c < 0;
          return a < b;
        });
        for (int64_t j = 0; j < k; ++j) {
          int64_t offset = (o * k + j) * inner + i;
          out_values[offset] = base[order[static_cast<size_t>(j)] * inner];
          if (out_indices) out_indices[offset] = order[static_cast<size_t>(j)];
        }
      }
    }
    return Status::Ok();
  });
}

// CumSum-11/14: running sums along `axis`, optionally exclusive and/or reversed.
Status CumSum(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* axis_input, context.requiredInput(1));
  if (axis_input->dtype() != DataType::kInt32 && axis_input->dtype() != DataType::kInt64)
    return Status::Error("axis must be int32 or int64, got {}", DataTypeName(axis_input->dtype()));
  ONNXKIT_ASSIGN_OR_RETURN(int64_t axis_value, ReadScalarInt64(*axis_input, "axis"));
  if (x->rank() == 0) return Status::Error("input must have rank >= 1");
  ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_value, static_cast<int64_t>(x->rank())));
  bool exclusive = context.node().getInt("exclusive", 0) != 0;
  bool reverse = context.node().getInt("reverse", 0) != 0;
  size_t ax = static_cast<size_t>(axis);
  int64_t dim = x->dim(ax);
  int64_t outer = ProductOf(x->shape(), 0, ax);
  int64_t inner = ProductOf(x->shape(), ax + 1, x->rank());
  return DispatchNumeric(x->dtype(), "CumSum", [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    const T* in = x->data<T>();
    T* out = y->mutableData<T>();
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        ComputeType<T> sum = ComputeType<T>(0);
        for (int64_t s = 0; s < dim; ++s) {
          int64_t t = reverse ? dim - 1 - s : s;
          int64_t offset = (o * dim + t) * inner + i;
          ComputeType<T> value = ToCompute(in[offset]);
          if (exclusive) out[offset] = FromCompute<T>(sum);
          if constexpr (std::is_integral_v<ComputeType<T>>) {
            sum = static_cast<ComputeType<T>>(static_cast<uint64_t>(sum) + static_cast<uint64_t>(value));
          } else {
            sum += value;
          }
          if (!exclusive) out[offset] = FromCompute<T>(sum);
        }
      }
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Unique

// Unique-11: the distinct elements (or, with `axis`, the distinct slices along it), sorted or in
// order of first occurrence, with the first-occurrence indices, inverse indices and counts.
Status Unique(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  const Attribute* axis_attr = context.node().attribute("axis");
  bool sorted = context.node().getInt("sorted", 1) != 0;
  int64_t outer = 1, dim = x->elementCount(), inner = 1;
  size_t ax = 0;
  if (axis_attr) {
    if (x->rank() == 0) return Status::Error("axis is given but the input is a scalar");
    ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis_attr->i(), static_cast<int64_t>(x->rank())));
    ax = static_cast<size_t>(a);
    outer = ProductOf(x->shape(), 0, ax);
    dim = x->dim(ax);
    inner = ProductOf(x->shape(), ax + 1, x->rank());
  }
  return DispatchAny(x->dtype(), "Unique", [&]<typename T>() -> Status {
    const T* in = StorageOf<T>(*x);
    // Item i: the slice x[o, i, j] for all o, j, compared in row-major order.
    auto compare_items = [&](int64_t a, int64_t b) {
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < inner; ++j) {
          int c = CompareValues(in[(o * dim + a) * inner + j], in[(o * dim + b) * inner + j]);
          if (c != 0) return c;
        }
      }
      return 0;
    };
    std::vector<int64_t> order(static_cast<size_t>(dim));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return compare_items(a, b) < 0; });
    // Groups of equal items in sorted order; the stable sort puts each group's first occurrence first.
    std::vector<int64_t> first, counts, inverse(static_cast<size_t>(dim));
    for (size_t k = 0; k < order.size(); ++k) {
      if (k == 0 || compare_items(first.back(), order[k]) != 0) {
        first.push_back(order[k]);
        counts.push_back(0);
      }
      inverse[static_cast<size_t>(order[k])] = static_cast<int64_t>(first.size()) - 1;
      ++counts.back();
    }
    if (!sorted) {
      // Renumber the groups by first occurrence.
      std::vector<int64_t> by_occurrence(first.size());
      std::iota(by_occurrence.begin(), by_occurrence.end(), 0);
      std::sort(by_occurrence.begin(), by_occurrence.end(),
                [&](int64_t a, int64_t b) { return first[static_cast<size_t>(a)] < first[static_cast<size_t>(b)]; });
      std::vector<int64_t> renumber(first.size()), new_first(first.size()), new_counts(first.size());
      for (size_t g = 0; g < by_occurrence.size(); ++g) {
        size_t old = static_cast<size_t>(by_occurrence[g]);
        renumber[old] = static_cast<int64_t>(g);
        new_first[g] = first[old];
        new_counts[g] = counts[old];
      }
      for (int64_t& v : inverse) v = renumber[static_cast<size_t>(v)];
      first = std::move(new_first);
      counts = std::move(new_counts);
    }
    int64_t unique = static_cast<int64_t>(first.size());
    Shape y_shape = axis_attr ? x->shape() : Shape{unique};
    if (axis_attr) y_shape[ax] = unique;
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), y_shape));
    if (y->elementCount() > 0) {
      T* out = MutableStorageOf<T>(*y);
      for (int64_t o = 0; o < outer; ++o)
        for (int64_t u = 0; u < unique; ++u) {
          const T* from = in + (o * dim + first[static_cast<size_t>(u)]) * inner;
          out = std::copy(from, from + inner, out);
        }
    }
    const std::vector<int64_t>* extra[] = {&first, &inverse, &counts};
    for (size_t i = 1; i < 4 && i < context.outputCount(); ++i) {
      const std::vector<int64_t>& values = *extra[i - 1];
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * t, context.allocateOutput(i, DataType::kInt64, {static_cast<int64_t>(values.size())}));
      std::copy(values.begin(), values.end(), t->mutableData<int64_t>());
    }
    return Status::Ok();
  });
}

const KernelRegistration kKernels[] = {
    {"", "CumSum", 11, 13, Function<CumSum>()},
    {"", "CumSum", 14, kLatestOpset, Function<CumSum>()},
    {"", "Gather", 1, 10, Function<Gather<1>>()},
    {"", "Gather", 11, 12, Function<Gather<11>>()},
    {"", "Gather", 13, kLatestOpset, Function<Gather<13>>()},
    {"", "GatherElements", 11, 12, Function<GatherElements>()},
    {"", "GatherElements", 13, kLatestOpset, Function<GatherElements>()},
    {"", "GatherND", 11, 11, Function<GatherND<11>>()},
    {"", "GatherND", 12, 12, Function<GatherND<12>>()},
    {"", "GatherND", 13, kLatestOpset, Function<GatherND<13>>()},
    {"", "NonZero", 9, 12, Function<NonZero>()},
    {"", "NonZero", 13, kLatestOpset, Function<NonZero>()},
    {"", "OneHot", 9, 10, Function<OneHot<9>>()},
    {"", "OneHot", 11, kLatestOpset, Function<OneHot<11>>()},
    {"", "Scatter", 9, 10, Function<Scatter>()},
    {"", "ScatterElements", 11, 12, Function<ScatterElements<11>>()},
    {"", "ScatterElements", 13, 15, Function<ScatterElements<13>>()},
    {"", "ScatterElements", 16, 17, Function<ScatterElements<16>>()},
    {"", "ScatterElements", 18, kLatestOpset, Function<ScatterElements<18>>()},
    {"", "ScatterND", 11, 12, Function<ScatterND<11>>()},
    {"", "ScatterND", 13, 15, Function<ScatterND<13>>()},
    {"", "ScatterND", 16, 17, Function<ScatterND<16>>()},
    {"", "ScatterND", 18, kLatestOpset, Function<ScatterND<18>>()},
    {"", "TopK", 1, 9, Function<TopK<1>>()},
    {"", "TopK", 10, 10, Function<TopK<10>>()},
    {"", "TopK", 11, kLatestOpset, Function<TopK<11>>()},
    {"", "Unique", 11, kLatestOpset, Function<Unique>()},
};

}  // namespace

std::span<const KernelRegistration> TensorIndexKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
