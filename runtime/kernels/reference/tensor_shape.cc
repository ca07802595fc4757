// Shape-manipulation and data-movement kernels: Reshape, Transpose, Squeeze, Unsqueeze, Flatten,
// Concat, Split, Slice, Pad, Expand, Tile, Shape, Size. Element values are never interpreted
// (except Pad's constant), so every element type is accepted, string and bool included.
#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/data_movement.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"
#include "runtime/tensor_io.h"

namespace onnxkit::runtime::reference {
namespace {

// An int64 attribute that must be present.
Result<int64_t> RequiredInt(const Node& node, std::string_view name) {
  const Attribute* attribute = node.attribute(name);
  if (!attribute) return Status::Error("attribute '{}' is required", name);
  return attribute->i();
}

Result<std::vector<int64_t>> RequiredInts(const Node& node, std::string_view name) {
  std::optional<std::vector<int64_t>> values = node.getInts(name);
  if (!values) return Status::Error("attribute '{}' is required", name);
  return *values;
}

// Normalizes a list of axes against `rank`; duplicates are an error.
Result<std::vector<int64_t>> NormalizeAxes(std::span<const int64_t> axes, int64_t rank, std::string_view what) {
  std::vector<int64_t> normalized;
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int64_t axis : axes) {
    auto a = NormalizeAxis(axis, rank);
    if (!a.ok()) return Status::Error("{}: {}", what, a.message());
    if (seen[static_cast<size_t>(*a)])
      return Status::Error("{} [{}] name axis {} more than once", what, ShapeToString(axes), *a);
    seen[static_cast<size_t>(*a)] = true;
    normalized.push_back(*a);
  }
  return normalized;
}

Result<int64_t> CheckedMultiply(int64_t a, int64_t b) {
  int64_t product;
  if (__builtin_mul_overflow(a, b, &product)) return Status::Error("dimension {} * {} overflows int64", a, b);
  return product;
}

// ---------------------------------------------------------------------------------------------
// Reshape

Result<Shape> ReshapeTarget(const Shape& in, int64_t count, std::span<const int64_t> requested, bool allow_zero) {
  Shape out(requested.begin(), requested.end());
  std::optional<size_t> inferred;
  bool has_zero = false;
  int64_t known = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    int64_t v = requested[i];
    if (v == -1) {
      if (inferred) return Status::Error("shape [{}] has more than one -1", ShapeToString(requested));
      inferred = i;
      continue;
    }
    if (v < -1) return Status::Error("shape [{}] has the invalid value {}", ShapeToString(requested), v);
    if (v == 0) {
      if (allow_zero) {
        has_zero = true;
      } else {
        if (i >= in.size())
          return Status::Error("shape [{}] has 0 at position {} (copy the input dimension) but the input has rank {}",
                               ShapeToString(requested), i, in.size());
        out[i] = in[i];
      }
    }
    ONNXKIT_ASSIGN_OR_RETURN(known, CheckedMultiply(known, out[i]));
  }
  if (inferred) {
    if (has_zero) return Status::Error("shape [{}] has both 0 and -1 with allowzero=1", ShapeToString(requested));
    if (known == 0 || count % known != 0)
      return Status::Error("cannot reshape [{}] ({} elements) into [{}]", ShapeToString(in), count,
                           ShapeToString(requested));
    out[*inferred] = count / known;
  } else if (known != count) {
    return Status::Error("cannot reshape [{}] ({} elements) into [{}]", ShapeToString(in), count,
                         ShapeToString(out));
  }
  return out;
}

// Reshape-1..4: `shape` attribute. Reshape-5+: `shape` input; Reshape-14+: allowzero.
template <int kVersion>
Status Reshape(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  std::vector<int64_t> requested;
  if constexpr (kVersion < 5) {
    ONNXKIT_ASSIGN_OR_RETURN(requested, RequiredInts(context.node(), "shape"));
  } else {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* shape, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(requested, ReadInt64s(*shape, "shape"));
  }
  bool allow_zero = kVersion >= 14 && context.node().getInt("allowzero", 0) != 0;
  ONNXKIT_ASSIGN_OR_RETURN(Shape out, ReshapeTarget(x->shape(), x->elementCount(), requested, allow_zero));
  context.setOutput(0, x->reshaped(std::move(out)));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Transpose

Status Transpose(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  size_t rank = x->rank();
  std::vector<int64_t> perm;
  if (auto attr = context.node().getInts("perm")) {
    perm = *attr;
  } else {
    for (size_t d = rank; d-- > 0;) perm.push_back(static_cast<int64_t>(d));
  }
  if (perm.size() != rank)
    return Status::Error("perm [{}] has {} entries but the input has rank {}", ShapeToString(perm), perm.size(), rank);
  std::vector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(p)])
      return Status::Error("perm [{}] is not a permutation of the {} input axes", ShapeToString(perm), rank);
    seen[static_cast<size_t>(p)] = true;
  }
  std::vector<int64_t> in_strides = Strides(x->shape());
  Shape out_shape(rank);
  std::vector<int64_t> strides(rank);
  for (size_t d = 0; d < rank; ++d) {
    out_shape[d] = x->dim(static_cast<size_t>(perm[d]));
    strides[d] = in_strides[static_cast<size_t>(perm[d])];
  }
  return DispatchStorage(x->dtype(), "Transpose", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    if (y->elementCount() > 0) StridedCopy(StorageOf<S>(*x), 0, strides, out_shape, MutableStorageOf<S>(*y));
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Squeeze, Unsqueeze, Flatten: views of the input with another shape.

// Squeeze-1/11: `axes` attribute; Squeeze-13+: optional `axes` input. No axes: every 1-sized dim.
template <int kVersion>
Status Squeeze(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  std::optional<std::vector<int64_t>> axes;
  if constexpr (kVersion < 13) {
    axes = context.node().getInts("axes");
  } else if (const Tensor* axes_input = context.input(1)) {
    ONNXKIT_ASSIGN_OR_RETURN(axes, ReadInt64s(*axes_input, "axes"));
  }
  int64_t rank = static_cast<int64_t>(x->rank());
  std::vector<bool> drop(x->rank(), false);
  if (axes) {
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> normalized, NormalizeAxes(*axes, rank, "axes"));
    for (int64_t a : normalized) {
      if (x->dim(static_cast<size_t>(a)) != 1)
        return Status::Error("cannot squeeze axis {} of size {} (input shape [{}])", a, x->dim(static_cast<size_t>(a)),
                             ShapeToString(x->shape()));
      drop[static_cast<size_t>(a)] = true;
    }
  } else {
    for (size_t d = 0; d < x->rank(); ++d) drop[d] = x->dim(d) == 1;
  }
  Shape out;
  for (size_t d = 0; d < x->rank(); ++d)
    if (!drop[d]) out.push_back(x->dim(d));
  context.setOutput(0, x->reshaped(std::move(out)));
  return Status::Ok();
}

// Unsqueeze-1/11: `axes` attribute; Unsqueeze-13+: `axes` input. Axes refer to the output rank.
template <int kVersion>
Status Unsqueeze(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  std::vector<int64_t> axes;
  if constexpr (kVersion < 13) {
    ONNXKIT_ASSIGN_OR_RETURN(axes, RequiredInts(context.node(), "axes"));
  } else {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* axes_input, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(axes, ReadInt64s(*axes_input, "axes"));
  }
  int64_t out_rank = static_cast<int64_t>(x->rank() + axes.size());
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> normalized, NormalizeAxes(axes, out_rank, "axes"));
  std::vector<bool> inserted(static_cast<size_t>(out_rank), false);
  for (int64_t a : normalized) inserted[static_cast<size_t>(a)] = true;
  Shape out;
  size_t next = 0;
  for (size_t d = 0; d < inserted.size(); ++d) out.push_back(inserted[d] ? 1 : x->dim(next++));
  context.setOutput(0, x->reshaped(std::move(out)));
  return Status::Ok();
}

// Flatten: axis in [-rank, rank] (negative values are documented from Flatten-11 on but unambiguous).
Status Flatten(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  int64_t rank = static_cast<int64_t>(x->rank());
  int64_t axis = context.node().getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return Status::Error("axis {} is out of range [{}, {}] for an input of rank {}", axis, -rank, rank, rank);
  if (axis < 0) axis += rank;
  Shape out = {ProductOf(x->shape(), 0, static_cast<size_t>(axis)),
               ProductOf(x->shape(), static_cast<size_t>(axis), x->rank())};
  context.setOutput(0, x->reshaped(std::move(out)));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Concat, Split

// Concat-1: axis defaults to 1; Concat-4+: axis required; Concat-11+: negative axis.
template <int kVersion>
Status Concat(KernelContext& context) {
  const Node& node = context.node();
  int64_t axis = 1;
  if constexpr (kVersion >= 4) {
    ONNXKIT_ASSIGN_OR_RETURN(axis, RequiredInt(node, "axis"));
  } else {
    axis = node.getInt("axis", 1);
  }
  if (context.inputCount() == 0) return Status::Error("Concat needs at least one input");
  std::vector<const Tensor*> inputs;
  for (size_t i = 0; i < context.inputCount(); ++i) {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* t, context.requiredInput(i));
    inputs.push_back(t);
  }
  const Tensor& first = *inputs[0];
  if (first.rank() == 0) return Status::Error("cannot concatenate scalars");
  ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, static_cast<int64_t>(first.rank())));
  size_t ax = static_cast<size_t>(a);
  Shape out_shape = first.shape();
  out_shape[ax] = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = *inputs[i];
    if (t.dtype() != first.dtype())
      return Status::Error("input {} has type {} but input 0 has type {}", i, DataTypeName(t.dtype()),
                           DataTypeName(first.dtype()));
    bool compatible = t.rank() == first.rank();
    for (size_t d = 0; compatible && d < t.rank(); ++d) compatible = d == ax || t.dim(d) == first.dim(d);
    if (!compatible)
      return Status::Error("input {} has shape [{}], which does not match input 0 [{}] outside axis {}", i,
                           ShapeToString(t.shape()), ShapeToString(first.shape()), a);
    out_shape[ax] += t.dim(ax);
  }
  int64_t outer = ProductOf(first.shape(), 0, ax);
  int64_t inner = ProductOf(first.shape(), ax + 1, first.rank());
  return DispatchStorage(first.dtype(), "Concat", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, first.dtype(), out_shape));
    if (y->elementCount() == 0) return Status::Ok();
    S* out = MutableStorageOf<S>(*y);
    int64_t out_block = out_shape[ax] * inner;
    int64_t position = 0;  // element offset of the current input's block within an output row
    for (const Tensor* t : inputs) {
      int64_t block = t->dim(ax) * inner;
      const S* in = StorageOf<S>(*t);
      for (int64_t o = 0; o < outer; ++o) std::copy(in + o * block, in + (o + 1) * block, out + o * out_block + position);
      position += block;
    }
    return Status::Ok();
  });
}

// Reads sizes from an optional tensor of any integer (or, for Split-1, float) type.
Result<std::vector<int64_t>> ReadSizes(const Tensor& tensor, std::string_view what) {
  if (tensor.dtype() == DataType::kInt64 || tensor.dtype() == DataType::kInt32) return ReadInt64s(tensor, what);
  if (tensor.rank() > 1) return Status::Error("{} must be 1-D, got shape [{}]", what, ShapeToString(tensor.shape()));
  if (tensor.dtype() == DataType::kString) return Status::Error("{} must be numeric", what);
  std::vector<int64_t> values;
  for (int64_t i = 0; i < tensor.elementCount(); ++i) {
    double v = tensor.elementAsDouble(i);
    if (!(v >= 0 && v < 9.0e18)) return Status::Error("{} has the invalid value {}", what, v);
    values.push_back(static_cast<int64_t>(v));
  }
  return values;
}

// Split-1: sizes from the optional second input or the `split` attribute. Split-2/11: `split`
// attribute. Split-13+: optional `split` input. Split-18+: or `num_outputs` (last chunk smaller).
// Without sizes the axis is split evenly among the outputs.
template <int kVersion>
Status Split(KernelContext& context) {
  const Node& node = context.node();
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  int64_t axis = node.getInt("axis", 0);
  ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, static_cast<int64_t>(x->rank())));
  size_t ax = static_cast<size_t>(a);
  int64_t dim = x->dim(ax);
  int64_t n = static_cast<int64_t>(context.outputCount());
  if (n == 0) return Status::Error("Split has no outputs");

  std::optional<std::vector<int64_t>> sizes;
  if (kVersion >= 13 || (kVersion == 1 && context.input(1))) {
    // An empty `split` tensor counts as absent.
    if (const Tensor* split = context.input(1); split && split->elementCount() > 0) {
      ONNXKIT_ASSIGN_OR_RETURN(sizes, ReadSizes(*split, "split"));
    }
  } else {
    sizes = node.getInts("split");
    if (sizes && sizes->empty()) sizes.reset();  // an empty list counts as absent
  }
  if (sizes) {
    if (static_cast<int64_t>(sizes->size()) != n)
      return Status::Error("split has {} sizes but the node has {} outputs", sizes->size(), n);
    int64_t total = 0;
    for (int64_t s : *sizes) {
      if (s < 0) return Status::Error("split [{}] has a negative size", ShapeToString(*sizes));
      if (__builtin_add_overflow(total, s, &total)) return Status::Error("split sizes overflow");
    }
    if (total != dim)
      return Status::Error("split [{}] adds up to {} but axis {} has size {}", ShapeToString(*sizes), total, a, dim);
  } else if (const Attribute* num_outputs = kVersion >= 18 ? node.attribute("num_outputs") : nullptr) {
    if (num_outputs->i() != n)
      return Status::Error("num_outputs is {} but the node has {} outputs", num_outputs->i(), n);
    int64_t chunk = dim / n + (dim % n != 0 ? 1 : 0);
    int64_t last = dim - chunk * (n - 1);
    if (last < 0)
      return Status::Error("axis {} of size {} cannot be split into {} outputs of size {}", a, dim, n, chunk);
    sizes = std::vector<int64_t>(static_cast<size_t>(n), chunk);
    sizes->back() = last;
  } else {
    if (dim % n != 0) return Status::Error("axis {} of size {} cannot be split evenly into {} outputs", a, dim, n);
    sizes = std::vector<int64_t>(static_cast<size_t>(n), dim / n);
  }

  int64_t outer = ProductOf(x->shape(), 0, ax);
  int64_t inner = ProductOf(x->shape(), ax + 1, x->rank());
  return DispatchStorage(x->dtype(), "Split", [&]<typename S>() -> Status {
    const S* in = StorageOf<S>(*x);
    int64_t start = 0;
    for (size_t k = 0; k < sizes->size(); ++k) {
      int64_t size = (*sizes)[k];
      Shape shape = x->shape();
      shape[ax] = size;
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(k, x->dtype(), shape));
      S* out = y->elementCount() > 0 ? MutableStorageOf<S>(*y) : nullptr;
      int64_t block = size * inner;
      for (int64_t o = 0; o < outer && block > 0; ++o) {
        const S* from = in + (o * dim + start) * inner;
        std::copy(from, from + block, out + o * block);
      }
      start += size;
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Slice

// Slice-1: `starts`, `ends`, `axes` attributes. Slice-10+: inputs starts, ends, axes, steps.
template <int kVersion>
Status Slice(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  const Node& node = context.node();
  std::vector<int64_t> starts, ends;
  std::optional<std::vector<int64_t>> axes, steps;
  if constexpr (kVersion < 10) {
    ONNXKIT_ASSIGN_OR_RETURN(starts, RequiredInts(node, "starts"));
    ONNXKIT_ASSIGN_OR_RETURN(ends, RequiredInts(node, "ends"));
    axes = node.getInts("axes");
  } else {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* starts_input, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* ends_input, context.requiredInput(2));
    ONNXKIT_ASSIGN_OR_RETURN(starts, ReadInt64s(*starts_input, "starts"));
    ONNXKIT_ASSIGN_OR_RETURN(ends, ReadInt64s(*ends_input, "ends"));
    if (const Tensor* axes_input = context.input(3)) {
      ONNXKIT_ASSIGN_OR_RETURN(axes, ReadInt64s(*axes_input, "axes"));
    }
    if (const Tensor* steps_input = context.input(4)) {
      ONNXKIT_ASSIGN_OR_RETURN(steps, ReadInt64s(*steps_input, "steps"));
    }
  }
  size_t count = starts.size();
  if (ends.size() != count)
    return Status::Error("starts has {} values but ends has {}", count, ends.size());
  if (axes && axes->size() != count) return Status::Error("starts has {} values but axes has {}", count, axes->size());
  if (steps && steps->size() != count)
    return Status::Error("starts has {} values but steps has {}", count, steps->size());
  int64_t rank = static_cast<int64_t>(x->rank());
  std::vector<int64_t> axis_list;
  if (axes) {
    ONNXKIT_ASSIGN_OR_RETURN(axis_list, NormalizeAxes(*axes, rank, "axes"));
  } else {
    if (static_cast<int64_t>(count) > rank)
      return Status::Error("starts has {} values but the input has rank {}", count, rank);
    for (size_t i = 0; i < count; ++i) axis_list.push_back(static_cast<int64_t>(i));
  }

  std::vector<int64_t> in_strides = Strides(x->shape());
  Shape out_shape = x->shape();
  std::vector<int64_t> strides = in_strides;
  int64_t offset = 0;
  for (size_t i = 0; i < count; ++i) {
    size_t d = static_cast<size_t>(axis_list[i]);
    int64_t dim = x->dim(d);
    int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0) return Status::Error("steps must not be 0 (axis {})", d);
    int64_t start = starts[i];
    int64_t end = ends[i];
    if (start < 0) start += dim;
    if (end < 0) end += dim;
    int64_t size = 0;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
      if (end > start) size = (end - start - 1) / step + 1;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
      int64_t magnitude = step == std::numeric_limits<int64_t>::min() ? std::numeric_limits<int64_t>::max() : -step;
      if (start > end) size = (start - end - 1) / magnitude + 1;
    }
    out_shape[d] = size;
    if (size > 0) {
      offset += start * in_strides[d];
      // |step| beyond the dimension only ever takes one element: clamp it so the stride cannot overflow.
      int64_t bounded = std::clamp<int64_t>(step, -std::max<int64_t>(dim, 1), std::max<int64_t>(dim, 1));
      strides[d] = bounded * in_strides[d];
    }
  }
  return DispatchStorage(x->dtype(), "Slice", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    if (y->elementCount() > 0) StridedCopy(StorageOf<S>(*x), offset, strides, out_shape, MutableStorageOf<S>(*y));
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Pad

// A one-element tensor of `type` holding `value` (for a float attribute converted to the data type).
Result<Tensor> ScalarOfType(DataType type, double value) {
  if (type == DataType::kString) return Tensor::Strings({}, {std::string()});
  ONNXKIT_ASSIGN_OR_RETURN(Tensor scalar, Tensor::Allocate(type, {}));
  if (type == DataType::kBool) {
    scalar.mutableData<bool>()[0] = value != 0;
    return scalar;
  }
  Status status = DispatchNumeric(type, "Pad", [&]<typename T>() -> Status {
    if constexpr (std::is_integral_v<T>) {
      if (!(value >= static_cast<double>(std::numeric_limits<T>::lowest()) &&
            value <= static_cast<double>(std::numeric_limits<T>::max())))
        return Status::Error("value {} does not fit in {}", value, DataTypeName(type));
    }
    scalar.mutableData<T>()[0] = FromCompute<T>(static_cast<ComputeType<T>>(value));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return scalar;
}

enum class PadMode { kConstant, kReflect, kEdge, kWrap };

// Pad-1: `paddings` and `value` attributes. Pad-2: `pads` and `value` attributes. Pad-11+: `pads`
// and optional `constant_value` inputs. Pad-18+: optional `axes` input. Pad-19+: mode "wrap".
// Negative pads remove elements; the other modes then mirror/extend/wrap the remaining data.
template <int kVersion>
Status Pad(KernelContext& context) {
  const Node& node = context.node();
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  int64_t rank = static_cast<int64_t>(x->rank());

  std::string mode_name = node.getString("mode", "constant");
  PadMode mode;
  if (mode_name == "constant") mode = PadMode::kConstant;
  else if (mode_name == "reflect") mode = PadMode::kReflect;
  else if (mode_name == "edge") mode = PadMode::kEdge;
  else if (mode_name == "wrap" && kVersion >= 19) mode = PadMode::kWrap;
  else return Status::Error("unsupported mode '{}'", mode_name);

  std::vector<int64_t> pads;
  Tensor fill;
  std::vector<int64_t> axes;
  if constexpr (kVersion < 11) {
    ONNXKIT_ASSIGN_OR_RETURN(pads, RequiredInts(node, kVersion < 2 ? "paddings" : "pads"));
    ONNXKIT_ASSIGN_OR_RETURN(fill, ScalarOfType(x->dtype(), node.getFloat("value", 0.0f)));
  } else {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* pads_input, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(pads, ReadInt64s(*pads_input, "pads"));
    const Tensor* value = context.input(2);
    if (value && value->elementCount() > 0) {
      if (value->dtype() != x->dtype())
        return Status::Error("constant_value has type {} but the data has type {}", DataTypeName(value->dtype()),
                             DataTypeName(x->dtype()));
      if (value->elementCount() != 1)
        return Status::Error("constant_value must have one element, got shape [{}]", ShapeToString(value->shape()));
      fill = *value;
    } else {
      ONNXKIT_ASSIGN_OR_RETURN(fill, ScalarOfType(x->dtype(), 0.0));
    }
    if (const Tensor* axes_input = kVersion >= 18 ? context.input(3) : nullptr) {
      ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> raw_axes, ReadInt64s(*axes_input, "axes"));
      ONNXKIT_ASSIGN_OR_RETURN(axes, NormalizeAxes(raw_axes, rank, "axes"));
    }
  }
  if (axes.empty() && (kVersion < 18 || !context.input(3)))
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  if (pads.size() != 2 * axes.size())
    return Status::Error("pads has {} values but {} are needed (2 per padded axis, input shape [{}])", pads.size(),
                         2 * axes.size(), ShapeToString(x->shape()));

  std::vector<int64_t> begin(x->rank(), 0), end(x->rank(), 0);
  for (size_t i = 0; i < axes.size(); ++i) {
    begin[static_cast<size_t>(axes[i])] = pads[i];
    end[static_cast<size_t>(axes[i])] = pads[i + axes.size()];
  }
  // Per axis: elements cropped at the start, elements kept, and the output size.
  Shape out_shape(x->rank());
  std::vector<int64_t> crop_begin(x->rank()), kept(x->rank());
  for (size_t d = 0; d < x->rank(); ++d) {
    int64_t dim = x->dim(d);
    crop_begin[d] = std::max<int64_t>(0, -begin[d]);
    int64_t crop_end = std::max<int64_t>(0, -end[d]);
    if (crop_begin[d] > dim || crop_end > dim - crop_begin[d])
      return Status::Error("pads {} and {} remove more than the {} elements of axis {}", begin[d], end[d], dim, d);
    kept[d] = dim - crop_begin[d] - crop_end;
    if (__builtin_add_overflow(kept[d], std::max<int64_t>(0, begin[d]), &out_shape[d]) ||
        __builtin_add_overflow(out_shape[d], std::max<int64_t>(0, end[d]), &out_shape[d]))
      return Status::Error("pads of axis {} are too large", d);
    if (kept[d] == 0 && out_shape[d] > 0 && mode != PadMode::kConstant)
      return Status::Error("mode '{}' cannot pad axis {}, which has no elements left", mode_name, d);
  }
  // Allocate first: the size check guards the index maps built below too.
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
  if (y->elementCount() == 0) return Status::Ok();

  // Per axis, the input index of each output index (-1: the constant).
  std::vector<std::vector<int64_t>> maps(x->rank());
  for (size_t d = 0; d < x->rank(); ++d) {
    int64_t pad_begin = std::max<int64_t>(0, begin[d]);
    int64_t n = kept[d];
    std::vector<int64_t>& map = maps[d];
    map.resize(static_cast<size_t>(out_shape[d]));
    for (int64_t o = 0; o < out_shape[d]; ++o) {
      int64_t j = o - pad_begin;  // index into the kept range [0, n)
      if (j < 0 || j >= n) {
        switch (mode) {
          case PadMode::kConstant: j = -1; break;
          case PadMode::kEdge: j = std::clamp<int64_t>(j, 0, n - 1); break;
          case PadMode::kWrap: j = ((j % n) + n) % n; break;
          case PadMode::kReflect:
            if (n == 1) {
              j = 0;
            } else {
              int64_t period = 2 * (n - 1);
              j = ((j % period) + period) % period;
              if (j >= n) j = period - j;
            }
            break;
        }
      }
      map[static_cast<size_t>(o)] = j < 0 ? -1 : j + crop_begin[d];
    }
  }
  return DispatchStorage(x->dtype(), "Pad", [&]<typename S>() -> Status {
    CopyByAxisMaps(StorageOf<S>(*x), x->shape(), maps, StorageOf<S>(fill)[0], MutableStorageOf<S>(*y));
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Expand, Tile

// Copies x into out_shape, where x's shape is out_shape's (after right-aligning and padding with
// leading 1s) with `map_of(d, o)` giving the input index of output index o on axis d.
template <typename MapOf>
Status GatherAxes(KernelContext& context, const Tensor& x, const Shape& out_shape, std::string_view op, MapOf map_of) {
  // Allocate first: the size check guards the index maps built below too.
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x.dtype(), out_shape));
  if (y->elementCount() == 0) return Status::Ok();
  size_t rank = out_shape.size();
  Shape in_shape(rank - x.rank(), 1);
  in_shape.insert(in_shape.end(), x.shape().begin(), x.shape().end());
  std::vector<std::vector<int64_t>> maps(rank);
  for (size_t d = 0; d < rank; ++d) {
    maps[d].resize(static_cast<size_t>(out_shape[d]));
    for (int64_t o = 0; o < out_shape[d]; ++o) maps[d][static_cast<size_t>(o)] = map_of(in_shape[d], o);
  }
  return DispatchStorage(x.dtype(), op, [&]<typename S>() -> Status {
    CopyByAxisMaps(StorageOf<S>(x), in_shape, maps, S{}, MutableStorageOf<S>(*y));
    return Status::Ok();
  });
}

Status Expand(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* shape_input, context.requiredInput(1));
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> shape, ReadInt64s(*shape_input, "shape"));
  for (int64_t dim : shape)
    if (dim < 0) return Status::Error("shape [{}] has a negative dimension", ShapeToString(shape));
  ONNXKIT_ASSIGN_OR_RETURN(Shape out_shape, BroadcastShapes(x->shape(), shape));
  return GatherAxes(context, *x, out_shape, "Expand", [](int64_t in_dim, int64_t o) { return in_dim == 1 ? 0 : o; });
}

// Tile-1: `tiles` and `axis` scalar inputs (one axis). Tile-6+: `repeats` input, one per axis.
template <int kVersion>
Status Tile(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  std::vector<int64_t> repeats(x->rank(), 1);
  if constexpr (kVersion < 6) {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* tiles, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* axis_input, context.requiredInput(2));
    ONNXKIT_ASSIGN_OR_RETURN(int64_t count, ReadScalarInt64(*tiles, "tiles"));
    ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, ReadScalarInt64(*axis_input, "axis"));
    ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, static_cast<int64_t>(x->rank())));
    repeats[static_cast<size_t>(a)] = count;
  } else {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* repeats_input, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(repeats, ReadInt64s(*repeats_input, "repeats"));
    if (repeats.size() != x->rank())
      return Status::Error("repeats has {} values but the input has rank {}", repeats.size(), x->rank());
  }
  Shape out_shape(x->rank());
  for (size_t d = 0; d < x->rank(); ++d) {
    if (repeats[d] < 0) return Status::Error("repeats [{}] has a negative value", ShapeToString(repeats));
    ONNXKIT_ASSIGN_OR_RETURN(out_shape[d], CheckedMultiply(x->dim(d), repeats[d]));
  }
  return GatherAxes(context, *x, out_shape, "Tile", [](int64_t in_dim, int64_t o) { return o % in_dim; });
}

// ---------------------------------------------------------------------------------------------
// Shape, Size

// Shape-15+: `start` and `end` attributes select a range of dims (clamped, never an error).
template <int kVersion>
Status ShapeOp(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  int64_t rank = static_cast<int64_t>(x->rank());
  int64_t start = 0;
  int64_t end = rank;
  if constexpr (kVersion >= 15) {
    start = context.node().getInt("start", 0);
    end = context.node().getInt("end", rank);
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, 0, rank);
  }
  int64_t count = std::max<int64_t>(0, end - start);
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kInt64, {count}));
  for (int64_t i = 0; i < count; ++i) y->mutableData<int64_t>()[i] = x->dim(static_cast<size_t>(start + i));
  return Status::Ok();
}

Status Size(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kInt64, {}));
  y->mutableData<int64_t>()[0] = x->elementCount();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// ConstantOfShape, Range, EyeLike, Trilu

// Reads a shape input: 1-D, non-negative dims (an empty tensor means a scalar).
Result<Shape> ReadShape(const Tensor& tensor, std::string_view what) {
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> shape, ReadInt64s(tensor, what));
  for (int64_t dim : shape)
    if (dim < 0) return Status::Error("{} [{}] has a negative dimension", what, ShapeToString(shape));
  return shape;
}

// ConstantOfShape-9/20/21: the `value` attribute (default float 0) fills a tensor of the input shape.
class ConstantOfShape : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    if (const Attribute* value = info.node.attribute("value")) {
      if (!value->tensor()) return Status::Error("attribute 'value' must be a tensor");
      ONNXKIT_ASSIGN_OR_RETURN(value_, FromIrTensor(value->tensor()));
      if (value_.elementCount() != 1)
        return Status::Error("attribute 'value' must have one element, got shape [{}]", ShapeToString(value_.shape()));
    } else {
      value_ = Tensor::Scalar(0.0f);
    }
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* shape_input, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(Shape shape, ReadShape(*shape_input, "shape"));
    return DispatchStorage(value_.dtype(), "ConstantOfShape", [&]<typename S>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, value_.dtype(), shape));
      if (y->elementCount() > 0) std::fill_n(MutableStorageOf<S>(*y), y->elementCount(), StorageOf<S>(value_)[0]);
      return Status::Ok();
    });
  }

 private:
  Tensor value_;
};

// Range-11: start + i * delta for i in [0, max(ceil((limit - start) / delta), 0)).
Status Range(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* start_input, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* limit_input, context.requiredInput(1));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* delta_input, context.requiredInput(2));
  DataType type = start_input->dtype();
  for (const Tensor* t : {start_input, limit_input, delta_input}) {
    if (t->dtype() != type)
      return Status::Error("start, limit and delta must have the same type, got {}, {} and {}",
                           DataTypeName(start_input->dtype()), DataTypeName(limit_input->dtype()),
                           DataTypeName(delta_input->dtype()));
    if (t->elementCount() != 1)
      return Status::Error("start, limit and delta must be scalars, got shape [{}]", ShapeToString(t->shape()));
  }
  return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kInt16, DataType::kInt32, DataType::kInt64>(
      type, "Range", [&]<typename T>() -> Status {
        T start = start_input->data<T>()[0];
        T limit = limit_input->data<T>()[0];
        T delta = delta_input->data<T>()[0];
        if (delta == T(0)) return Status::Error("delta must not be 0");
        int64_t count = 0;
        if constexpr (std::is_floating_point_v<T>) {
          double steps = std::ceil((static_cast<double>(limit) - static_cast<double>(start)) / static_cast<double>(delta));
          if (std::isnan(steps)) return Status::Error("start {}, limit {} and delta {} give no range", start, limit, delta);
          if (steps > 1e15) return Status::Error("range from {} to {} by {} is too long", start, limit, delta);
          count = steps > 0 ? static_cast<int64_t>(steps) : 0;
        } else {
          int64_t span;
          if (__builtin_sub_overflow(static_cast<int64_t>(limit), static_cast<int64_t>(start), &span))
            return Status::Error("range from {} to {} is too long", start, limit);
          int64_t d = delta;
          if ((span > 0 && d > 0) || (span < 0 && d < 0)) {
            // ceil(span / d) for same-sign operands.
            count = span / d + (span % d != 0 ? 1 : 0);
          }
        }
        ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, type, {count}));
        T* out = y->mutableData<T>();
        for (int64_t i = 0; i < count; ++i) {
          if constexpr (std::is_floating_point_v<T>) {
            out[i] = static_cast<T>(start + static_cast<T>(i) * delta);
          } else {
            out[i] = static_cast<T>(static_cast<int64_t>(start) + i * static_cast<int64_t>(delta));
          }
        }
        return Status::Ok();
      });
}

// EyeLike-9: a 2-D tensor like the input with ones on diagonal k; `dtype` overrides the type.
Status EyeLike(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  if (x->rank() != 2) return Status::Error("input must be 2-D, got shape [{}]", ShapeToString(x->shape()));
  if (x->dtype() == DataType::kString) return Status::Error("EyeLike does not support element type string");
  DataType type = x->dtype();
  if (const Attribute* dtype = context.node().attribute("dtype")) {
    if (!IsKnownDataType(static_cast<int32_t>(dtype->i())))
      return Status::Error("dtype {} is not a known element type", dtype->i());
    type = static_cast<DataType>(dtype->i());
  }
  int64_t k = context.node().getInt("k", 0);
  int64_t rows = x->dim(0);
  int64_t cols = x->dim(1);
  return DispatchNumericOrBool(type, "EyeLike", [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, type, x->shape()));
    T* out = y->mutableData<T>();
    std::fill_n(out, y->elementCount(), FromCompute<T>(ComputeType<T>(0)));
    for (int64_t i = 0; i < rows; ++i) {
      // Column i + k, computed without overflow for any k.
      if (k >= cols || k <= -rows) break;
      int64_t j = i + k;
      if (j >= 0 && j < cols) out[i * cols + j] = FromCompute<T>(ComputeType<T>(1));
    }
    return Status::Ok();
  });
}

// Trilu-14: keeps the upper (j - i >= k) or lower (j - i <= k) triangle of the last two dims.
Status Trilu(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  if (x->rank() < 2) return Status::Error("input must have rank >= 2, got shape [{}]", ShapeToString(x->shape()));
  int64_t k = 0;
  if (const Tensor* k_input = context.input(1)) {
    ONNXKIT_ASSIGN_OR_RETURN(k, ReadScalarInt64(*k_input, "k"));
  }
  bool upper = context.node().getInt("upper", 1) != 0;
  int64_t rows = x->dim(x->rank() - 2);
  int64_t cols = x->dim(x->rank() - 1);
  int64_t matrices = ProductOf(x->shape(), 0, x->rank() - 2);
  return DispatchStorage(x->dtype(), "Trilu", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    if (y->elementCount() == 0) return Status::Ok();
    const S* in = StorageOf<S>(*x);
    S* out = MutableStorageOf<S>(*y);
    for (int64_t m = 0; m < matrices; ++m) {
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t j = 0; j < cols; ++j) {
          int64_t offset = (m * rows + i) * cols + j;
          bool keep = upper ? j - i >= k : j - i <= k;
          out[offset] = keep ? in[offset] : S{};
        }
      }
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// DepthToSpace, SpaceToDepth

Result<int64_t> ReadBlockSize(const Node& node) {
  ONNXKIT_ASSIGN_OR_RETURN(int64_t block, RequiredInt(node, "blocksize"));
  if (block <= 0) return Status::Error("blocksize must be positive, got {}", block);
  return block;
}

// DepthToSpace-1: DCR order. DepthToSpace-11+: `mode` DCR (depth-column-row) or CRD.
template <int kVersion>
Status DepthToSpace(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(int64_t b, ReadBlockSize(context.node()));
  if (x->rank() != 4) return Status::Error("input must be 4-D, got shape [{}]", ShapeToString(x->shape()));
  std::string mode = kVersion >= 11 ? context.node().getString("mode", "DCR") : "DCR";
  if (mode != "DCR" && mode != "CRD") return Status::Error("unsupported mode '{}' (DCR or CRD)", mode);
  int64_t n = x->dim(0), c = x->dim(1), h = x->dim(2), w = x->dim(3);
  int64_t b2;
  if (__builtin_mul_overflow(b, b, &b2) || c % b2 != 0)
    return Status::Error("channels {} are not divisible by blocksize^2 (blocksize {})", c, b);
  int64_t oc = c / b2;
  ONNXKIT_ASSIGN_OR_RETURN(int64_t oh, CheckedMultiply(h, b));
  ONNXKIT_ASSIGN_OR_RETURN(int64_t ow, CheckedMultiply(w, b));
  // The output seen as [n, oc, h, b(i), w, b(j)] reads input channel (i*b + j)*oc + c (DCR) or
  // c*b*b + i*b + j (CRD) at row h, column w.
  return DispatchStorage(x->dtype(), "DepthToSpace", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), {n, oc, oh, ow}));
    if (y->elementCount() == 0) return Status::Ok();
    Shape walk = {n, oc, h, b, w, b};
    int64_t plane = h * w;
    std::vector<int64_t> strides = mode == "DCR"
                                       ? std::vector<int64_t>{c * plane, plane, w, b * oc * plane, 1, oc * plane}
                                       : std::vector<int64_t>{c * plane, b2 * plane, w, b * plane, 1, plane};
    StridedCopy(StorageOf<S>(*x), 0, strides, walk, MutableStorageOf<S>(*y));
    return Status::Ok();
  });
}

// SpaceToDepth-1/13: the inverse of DepthToSpace in DCR order.
Status SpaceToDepth(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(int64_t b, ReadBlockSize(context.node()));
  if (x->rank() != 4) return Status::Error("input must be 4-D, got shape [{}]", ShapeToString(x->shape()));
  int64_t n = x->dim(0), c = x->dim(1), h = x->dim(2), w = x->dim(3);
  if (h % b != 0 || w % b != 0)
    return Status::Error("height {} and width {} must be divisible by blocksize {}", h, w, b);
  ONNXKIT_ASSIGN_OR_RETURN(int64_t b2, CheckedMultiply(b, b));
  ONNXKIT_ASSIGN_OR_RETURN(int64_t oc, CheckedMultiply(c, b2));
  // The output seen as [n, b(i), b(j), c, h/b, w/b] reads input [n, c, h*b + i, w*b + j].
  return DispatchStorage(x->dtype(), "SpaceToDepth", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), {n, oc, h / b, w / b}));
    if (y->elementCount() == 0) return Status::Ok();
    Shape walk = {n, b, b, c, h / b, w / b};
    std::vector<int64_t> strides = {c * h * w, w, 1, h * w, b * w, b};
    StridedCopy(StorageOf<S>(*x), 0, strides, walk, MutableStorageOf<S>(*y));
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// ReverseSequence, Compress

// ReverseSequence-10: reverses the first sequence_lens[b] elements along time_axis per batch b.
Status ReverseSequence(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* lens_input, context.requiredInput(1));
  if (x->rank() < 2) return Status::Error("input must have rank >= 2, got shape [{}]", ShapeToString(x->shape()));
  int64_t batch_axis = context.node().getInt("batch_axis", 1);
  int64_t time_axis = context.node().getInt("time_axis", 0);
  if (!((batch_axis == 0 && time_axis == 1) || (batch_axis == 1 && time_axis == 0)))
    return Status::Error("batch_axis {} and time_axis {} must be 0 and 1 in some order", batch_axis, time_axis);
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> lens, ReadInt64s(*lens_input, "sequence_lens"));
  int64_t batch = x->dim(static_cast<size_t>(batch_axis));
  int64_t time = x->dim(static_cast<size_t>(time_axis));
  if (static_cast<int64_t>(lens.size()) != batch)
    return Status::Error("sequence_lens has {} values but the batch axis has size {}", lens.size(), batch);
  for (int64_t len : lens)
    if (len < 0 || len > time)
      return Status::Error("sequence_lens value {} is out of range [0, {}]", len, time);
  int64_t d0 = x->dim(0), d1 = x->dim(1);
  int64_t inner = ProductOf(x->shape(), 2, x->rank());
  return DispatchStorage(x->dtype(), "ReverseSequence", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    if (y->elementCount() == 0) return Status::Ok();
    const S* in = StorageOf<S>(*x);
    S* out = MutableStorageOf<S>(*y);
    for (int64_t i0 = 0; i0 < d0; ++i0) {
      for (int64_t i1 = 0; i1 < d1; ++i1) {
        int64_t b = batch_axis == 0 ? i0 : i1;
        int64_t t = batch_axis == 0 ? i1 : i0;
        int64_t len = lens[static_cast<size_t>(b)];
        int64_t source_t = t < len ? len - 1 - t : t;
        int64_t s0 = batch_axis == 0 ? i0 : source_t;
        int64_t s1 = batch_axis == 0 ? source_t : i1;
        const S* from = in + (s0 * d1 + s1) * inner;
        std::copy(from, from + inner, out + (i0 * d1 + i1) * inner);
      }
    }
    return Status::Ok();
  });
}

// Compress-9/11: keeps the slices along `axis` (or the elements of the flattened input) whose
// condition is true; a shorter condition leaves the rest out.
Status Compress(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* condition, context.requiredInput(1));
  if (condition->dtype() != DataType::kBool)
    return Status::Error("condition must be bool, got {}", DataTypeName(condition->dtype()));
  if (condition->rank() != 1)
    return Status::Error("condition must be 1-D, got shape [{}]", ShapeToString(condition->shape()));
  const Attribute* axis_attr = context.node().attribute("axis");
  int64_t outer = 1, dim = x->elementCount(), inner = 1;
  size_t ax = 0;
  if (axis_attr) {
    ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis_attr->i(), static_cast<int64_t>(x->rank())));
    ax = static_cast<size_t>(a);
    outer = ProductOf(x->shape(), 0, ax);
    dim = x->dim(ax);
    inner = ProductOf(x->shape(), ax + 1, x->rank());
  }
  const bool* cond = condition->data<bool>();
  std::vector<int64_t> selected;
  for (int64_t i = 0; i < condition->elementCount(); ++i) {
    if (!cond[i]) continue;
    if (i >= dim)
      return Status::Error("condition is true at position {}, beyond the {} entries of the compressed axis", i, dim);
    selected.push_back(i);
  }
  Shape out_shape;
  if (axis_attr) {
    out_shape = x->shape();
    out_shape[ax] = static_cast<int64_t>(selected.size());
  } else {
    out_shape = {static_cast<int64_t>(selected.size())};
  }
  return DispatchStorage(x->dtype(), "Compress", [&]<typename S>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    if (y->elementCount() == 0) return Status::Ok();
    const S* in = StorageOf<S>(*x);
    S* out = MutableStorageOf<S>(*y);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i : selected) {
        const S* from = in + (o * dim + i) * inner;
        out = std::copy(from, from + inner, out);
      }
    }
    return Status::Ok();
  });
}

const KernelRegistration kKernels[] = {
    {"", "Compress", 9, 10, Function<Compress>()},
    {"", "Compress", 11, kLatestOpset, Function<Compress>()},
    {"", "Concat", 1, 3, Function<Concat<1>>()},
    {"", "Concat", 4, 10, Function<Concat<4>>()},
    {"", "Concat", 11, 12, Function<Concat<11>>()},
    {"", "Concat", 13, kLatestOpset, Function<Concat<13>>()},
    {"", "ConstantOfShape", 9, 19, CreateKernel<ConstantOfShape>},
    {"", "ConstantOfShape", 20, 20, CreateKernel<ConstantOfShape>},
    {"", "ConstantOfShape", 21, kLatestOpset, CreateKernel<ConstantOfShape>},
    {"", "DepthToSpace", 1, 10, Function<DepthToSpace<1>>()},
    {"", "DepthToSpace", 11, 12, Function<DepthToSpace<11>>()},
    {"", "DepthToSpace", 13, kLatestOpset, Function<DepthToSpace<13>>()},
    {"", "Expand", 8, 12, Function<Expand>()},
    {"", "Expand", 13, kLatestOpset, Function<Expand>()},
    {"", "EyeLike", 9, kLatestOpset, Function<EyeLike>()},
    {"", "Flatten", 1, 8, Function<Flatten>()},
    {"", "Flatten", 9, 10, Function<Flatten>()},
    {"", "Flatten", 11, 12, Function<Flatten>()},
    {"", "Flatten", 13, 20, Function<Flatten>()},
    {"", "Flatten", 21, kLatestOpset, Function<Flatten>()},
    {"", "Pad", 1, 1, Function<Pad<1>>()},
    {"", "Pad", 2, 10, Function<Pad<2>>()},
    {"", "Pad", 11, 12, Function<Pad<11>>()},
    {"", "Pad", 13, 17, Function<Pad<13>>()},
    {"", "Pad", 18, 18, Function<Pad<18>>()},
    {"", "Pad", 19, 20, Function<Pad<19>>()},
    {"", "Pad", 21, kLatestOpset, Function<Pad<21>>()},
    {"", "Range", 11, kLatestOpset, Function<Range>()},
    {"", "Reshape", 1, 4, Function<Reshape<1>>()},
    {"", "Reshape", 5, 12, Function<Reshape<5>>()},
    {"", "Reshape", 13, 13, Function<Reshape<13>>()},
    {"", "Reshape", 14, 18, Function<Reshape<14>>()},
    {"", "Reshape", 19, 20, Function<Reshape<19>>()},
    {"", "Reshape", 21, kLatestOpset, Function<Reshape<21>>()},
    {"", "ReverseSequence", 10, kLatestOpset, Function<ReverseSequence>()},
    {"", "Shape", 1, 12, Function<ShapeOp<1>>()},
    {"", "Shape", 13, 14, Function<ShapeOp<13>>()},
    {"", "Shape", 15, 18, Function<ShapeOp<15>>()},
    {"", "Shape", 19, 20, Function<ShapeOp<19>>()},
    {"", "Shape", 21, kLatestOpset, Function<ShapeOp<21>>()},
    {"", "Size", 1, 12, Function<Size>()},
    {"", "Size", 13, 18, Function<Size>()},
    {"", "Size", 19, 20, Function<Size>()},
    {"", "Size", 21, kLatestOpset, Function<Size>()},
    {"", "Slice", 1, 9, Function<Slice<1>>()},
    {"", "Slice", 10, 10, Function<Slice<10>>()},
    {"", "Slice", 11, 12, Function<Slice<11>>()},
    {"", "Slice", 13, kLatestOpset, Function<Slice<13>>()},
    {"", "SpaceToDepth", 1, 12, Function<SpaceToDepth>()},
    {"", "SpaceToDepth", 13, kLatestOpset, Function<SpaceToDepth>()},
    {"", "Split", 1, 1, Function<Split<1>>()},
    {"", "Split", 2, 10, Function<Split<2>>()},
    {"", "Split", 11, 12, Function<Split<11>>()},
    {"", "Split", 13, 17, Function<Split<13>>()},
    {"", "Split", 18, kLatestOpset, Function<Split<18>>()},
    {"", "Squeeze", 1, 10, Function<Squeeze<1>>()},
    {"", "Squeeze", 11, 12, Function<Squeeze<11>>()},
    {"", "Squeeze", 13, 20, Function<Squeeze<13>>()},
    {"", "Squeeze", 21, kLatestOpset, Function<Squeeze<21>>()},
    {"", "Tile", 1, 5, Function<Tile<1>>()},
    {"", "Tile", 6, 12, Function<Tile<6>>()},
    {"", "Tile", 13, kLatestOpset, Function<Tile<13>>()},
    {"", "Transpose", 1, 12, Function<Transpose>()},
    {"", "Transpose", 13, 20, Function<Transpose>()},
    {"", "Transpose", 21, kLatestOpset, Function<Transpose>()},
    {"", "Trilu", 14, kLatestOpset, Function<Trilu>()},
    {"", "Unsqueeze", 1, 10, Function<Unsqueeze<1>>()},
    {"", "Unsqueeze", 11, 12, Function<Unsqueeze<11>>()},
    {"", "Unsqueeze", 13, 20, Function<Unsqueeze<13>>()},
    {"", "Unsqueeze", 21, kLatestOpset, Function<Unsqueeze<21>>()},
};

}  // namespace

std::span<const KernelRegistration> TensorShapeKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
