// Reductions and ArgMax/ArgMin.
//
// Reduce*: the axes are an attribute before opset 13 (ReduceSum) or 18 (the others) and an
// optional int64 input from then on. Without axes every axis is reduced, unless
// noop_with_empty_axes is set (input-axes versions), in which case nothing is reduced: each
// element is its own one-element set, so ReduceSum/Mean/Max/Min/Prod/LogSumExp return the input
// and ReduceL1/L2/SumSquare/LogSum apply their elementwise part (|x|, |x|, x*x, log x), as the
// current ONNX specification clarifies. A reduction over an empty set yields the identity of the
// operation: 0 for Sum/L1/L2/SumSquare, 1 for Prod, -inf for LogSum/LogSumExp, NaN for Mean (0 for
// integers), and for Max/Min -inf/+inf (floating point) or the type's lowest/highest value.
//
// Floating-point inputs accumulate in double and round once; integers accumulate in 64 bits with
// wrap-around (two's complement) arithmetic, so an overflow wraps as it would in the input type.
#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

enum class ReduceOp { kSum, kMean, kMax, kMin, kProd, kL1, kL2, kLogSum, kLogSumExp, kSumSquare };

constexpr std::string_view ReduceName(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum: return "ReduceSum";
    case ReduceOp::kMean: return "ReduceMean";
    case ReduceOp::kMax: return "ReduceMax";
    case ReduceOp::kMin: return "ReduceMin";
    case ReduceOp::kProd: return "ReduceProd";
    case ReduceOp::kL1: return "ReduceL1";
    case ReduceOp::kL2: return "ReduceL2";
    case ReduceOp::kLogSum: return "ReduceLogSum";
    case ReduceOp::kLogSumExp: return "ReduceLogSumExp";
    case ReduceOp::kSumSquare: return "ReduceSumSquare";
  }
  return "Reduce";
}

// The opset from which the axes are an input (and noop_with_empty_axes exists).
constexpr int64_t AxesInputSince(ReduceOp op) { return op == ReduceOp::kSum ? 13 : 18; }

// The accumulator: double for floating point and for results that need real arithmetic (L2,
// LogSum, LogSumExp), else a 64-bit integer of the input's signedness.
template <typename T, ReduceOp kOp>
using Accumulator =
    std::conditional_t<!std::is_integral_v<T> || kOp == ReduceOp::kL2 || kOp == ReduceOp::kLogSum ||
                           kOp == ReduceOp::kLogSumExp,
                       double, std::conditional_t<std::is_signed_v<T>, int64_t, uint64_t>>;

// Wrap-around integer arithmetic (no signed overflow); plain arithmetic for double.
template <typename A>
A WrapAdd(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
  else return a + b;
}
template <typename A>
A WrapMul(A a, A b) {
  if constexpr (std::is_integral_v<A>) return static_cast<A>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
  else return a * b;
}
template <typename A>
A Magnitude(A a) {
  if constexpr (std::is_unsigned_v<A>) return a;
  else if constexpr (std::is_integral_v<A>) return a < 0 ? static_cast<A>(0 - static_cast<uint64_t>(a)) : a;
  else return std::fabs(a);
}

// An element of the input as the accumulator type.
template <typename A, typename T>
A Load(T value) {
  return static_cast<A>(ToCompute(value));
}

// The accumulator's final value as T: integers from double saturate (NaN becomes 0); integers
// from a 64-bit accumulator wrap.
template <typename T, typename A>
T Store(A value) {
  if constexpr (std::is_same_v<T, bool>) {
    return value != A(0);
  } else if constexpr (std::is_integral_v<T> && std::is_floating_point_v<A>) {
    if (std::isnan(value)) return T(0);
    if (value <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (value >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(value);
  } else {
    return FromCompute<T>(static_cast<ComputeType<T>>(value));
  }
}

template <typename T, ReduceOp kOp>
Accumulator<T, kOp> InitialValue() {
  using A = Accumulator<T, kOp>;
  if constexpr (kOp == ReduceOp::kProd) return A(1);
  else if constexpr (kOp == ReduceOp::kMax || kOp == ReduceOp::kLogSumExp) {
    if constexpr (std::is_floating_point_v<A>) return -std::numeric_limits<A>::infinity();
    else return static_cast<A>(std::numeric_limits<T>::lowest());
  } else if constexpr (kOp == ReduceOp::kMin) {
    if constexpr (std::is_floating_point_v<A>) return std::numeric_limits<A>::infinity();
    else return static_cast<A>(std::numeric_limits<T>::max());
  } else {
    return A(0);
  }
}

// Folds one element into the accumulator (LogSumExp's second pass is handled by the caller).
template <ReduceOp kOp, typename A>
A Fold(A acc, A v) {
  if constexpr (kOp == ReduceOp::kSum || kOp == ReduceOp::kMean || kOp == ReduceOp::kLogSum) return WrapAdd(acc, v);
  else if constexpr (kOp == ReduceOp::kProd) return WrapMul(acc, v);
  else if constexpr (kOp == ReduceOp::kL1) return WrapAdd(acc, Magnitude(v));
  else if constexpr (kOp == ReduceOp::kL2 || kOp == ReduceOp::kSumSquare) return WrapAdd(acc, WrapMul(v, v));
  else if constexpr (kOp == ReduceOp::kMax || kOp == ReduceOp::kLogSumExp) {
    if constexpr (std::is_floating_point_v<A>) {
      if (std::isnan(acc) || std::isnan(v)) return std::numeric_limits<A>::quiet_NaN();
    }
    return v > acc ? v : acc;
  } else {  // kMin
    if constexpr (std::is_floating_point_v<A>) {
      if (std::isnan(acc) || std::isnan(v)) return std::numeric_limits<A>::quiet_NaN();
    }
    return v < acc ? v : acc;
  }
}

// Reduces x into `out` (out_count elements). `keep_shape` is x's shape with reduced dims set to 1;
// `count` is the number of input elements folded into each output element. The accumulators are
// a scratch tensor, so their size is checked against the memory limit.
template <typename T, ReduceOp kOp>
Status ReduceInto(const Tensor& x, const Shape& keep_shape, int64_t count, T* out, int64_t out_count) {
  using A = Accumulator<T, kOp>;
  const T* data = x.data<T>();
  ONNXKIT_ASSIGN_OR_RETURN(Tensor scratch, Tensor::Allocate(DataTypeOf<A>(), {out_count}));
  A* acc = scratch.mutableData<A>();
  std::fill(acc, acc + out_count, InitialValue<T, kOp>());
  BroadcastWalker walker(x.shape(), std::span<const Shape>(&keep_shape, 1));
  walker.forEach([&](int64_t i, std::span<const int64_t> offsets) {
    A& a = acc[static_cast<size_t>(offsets[0])];
    a = Fold<kOp>(a, Load<A>(data[i]));
  });
  if constexpr (kOp == ReduceOp::kLogSumExp) {
    // acc holds the maxima; sum exp(x - max) for the finite ones.
    ONNXKIT_ASSIGN_OR_RETURN(Tensor sums_scratch, Tensor::Zeros(DataType::kDouble, {out_count}));
    double* sums = sums_scratch.mutableData<double>();
    walker.forEach([&](int64_t i, std::span<const int64_t> offsets) {
      size_t o = static_cast<size_t>(offsets[0]);
      if (std::isfinite(acc[o])) sums[o] += std::exp(Load<double>(data[i]) - acc[o]);
    });
    for (int64_t o = 0; o < out_count; ++o) {
      double m = acc[static_cast<size_t>(o)];
      out[o] = Store<T>(std::isfinite(m) ? m + std::log(sums[o]) : m);
    }
    return Status::Ok();
  }
  for (int64_t o = 0; o < out_count; ++o) {
    A a = acc[static_cast<size_t>(o)];
    if constexpr (kOp == ReduceOp::kMean) {
      if constexpr (std::is_floating_point_v<A>) {
        a = a / static_cast<A>(count);  // 0/0 is NaN for an empty set
      } else {
        a = count == 0 ? A(0) : static_cast<A>(a / static_cast<A>(count));
      }
    } else if constexpr (kOp == ReduceOp::kL2) {
      a = std::sqrt(a);
    } else if constexpr (kOp == ReduceOp::kLogSum) {
      a = std::log(a);
    }
    out[o] = Store<T>(a);
  }
  return Status::Ok();
}

template <ReduceOp kOp>
class Reduce : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    opset_ = info.opset;
    axes_input_ = opset_ >= AxesInputSince(kOp);
    keepdims_ = node.getInt("keepdims", 1) != 0;
    if (axes_input_) {
      if (node.hasAttribute("axes"))
        return Status::Error("axes is an input since opset {}, not an attribute", AxesInputSince(kOp));
      noop_with_empty_axes_ = node.getInt("noop_with_empty_axes", 0) != 0;
    } else {
      if (node.hasAttribute("noop_with_empty_axes"))
        return Status::Error("noop_with_empty_axes exists only since opset {}", AxesInputSince(kOp));
      if (auto axes = node.getInts("axes")) attribute_axes_ = *axes;
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    std::vector<int64_t> axes = attribute_axes_;
    if (axes_input_) {
      if (const Tensor* axes_tensor = context.input(1)) {
        ONNXKIT_ASSIGN_OR_RETURN(axes, ReadInt64s(*axes_tensor, "axes"));
      }
    }
    int64_t rank = static_cast<int64_t>(x->rank());
    // Empty axes reduce everything, or nothing with noop_with_empty_axes.
    std::vector<bool> reduced(static_cast<size_t>(rank), axes.empty() && !noop_with_empty_axes_);
    for (int64_t axis : axes) {
      ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, rank));
      if (reduced[static_cast<size_t>(a)]) return Status::Error("axis {} is listed more than once in axes", axis);
      reduced[static_cast<size_t>(a)] = true;
    }
    Shape keep_shape, out_shape;
    int64_t count = 1;
    for (size_t d = 0; d < static_cast<size_t>(rank); ++d) {
      if (reduced[d]) {
        count *= x->dim(d);
        keep_shape.push_back(1);
        if (keepdims_) out_shape.push_back(1);
      } else {
        keep_shape.push_back(x->dim(d));
        out_shape.push_back(x->dim(d));
      }
    }
    auto compute = [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, x->dtype(), out_shape));
      return ReduceInto<T, kOp>(*x, keep_shape, count, out->mutableData<T>(), out->elementCount());
    };
    if constexpr (kOp == ReduceOp::kMax || kOp == ReduceOp::kMin) {
      if (x->dtype() == DataType::kBool) {
        if (opset_ < 20) return Status::Error("{} supports bool only since opset 20", ReduceName(kOp));
        return compute.template operator()<bool>();
      }
    }
    return DispatchNumeric(x->dtype(), ReduceName(kOp), compute);
  }

 private:
  int64_t opset_ = 0;
  bool axes_input_ = false;
  bool keepdims_ = true;
  bool noop_with_empty_axes_ = false;
  std::vector<int64_t> attribute_axes_;
};

// ArgMax / ArgMin: the index (int64) of the first (or, with select_last_index, last) extreme
// value along `axis`. NaN counts as the extreme value, as in numpy.
template <bool kMax>
class ArgExtreme : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    axis_ = node.getInt("axis", 0);
    keepdims_ = node.getInt("keepdims", 1) != 0;
    if (info.opset >= 12) select_last_index_ = node.getInt("select_last_index", 0) != 0;
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    std::string_view name = kMax ? "ArgMax" : "ArgMin";
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_, static_cast<int64_t>(x->rank())));
    const Shape& shape = x->shape();
    int64_t outer = ProductOf(shape, 0, static_cast<size_t>(axis));
    int64_t extent = shape[static_cast<size_t>(axis)];
    int64_t inner = ProductOf(shape, static_cast<size_t>(axis) + 1, shape.size());
    if (extent == 0 && outer * inner != 0)
      return Status::Error("{} over axis {} of size 0 has no element to select", name, axis);
    Shape out_shape = shape;
    if (keepdims_) out_shape[static_cast<size_t>(axis)] = 1;
    else out_shape.erase(out_shape.begin() + axis);
    return DispatchNumeric(x->dtype(), name, [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, DataType::kInt64, out_shape));
      const T* data = x->data<T>();
      int64_t* indices = out->mutableData<int64_t>();
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          const T* row = data + o * extent * inner + i;
          auto best = ToCompute(row[0]);
          int64_t best_index = 0;
          for (int64_t k = 1; k < extent; ++k) {
            auto v = ToCompute(row[k * inner]);
            if (Better(v, best) || (select_last_index_ && Same(v, best))) {
              best = v;
              best_index = k;
            }
          }
          indices[o * inner + i] = best_index;
        }
      }
      return Status::Ok();
    });
  }

 private:
  template <typename C>
  static bool IsNan(C v) {
    if constexpr (std::is_floating_point_v<C>) return std::isnan(v);
    else return false;
  }
  // v replaces the current best: strictly more extreme, or the first NaN.
  template <typename C>
  static bool Better(C v, C best) {
    if (IsNan(best)) return false;
    if (IsNan(v)) return true;
    return kMax ? v > best : v < best;
  }
  template <typename C>
  static bool Same(C v, C best) {
    return v == best || (IsNan(v) && IsNan(best));
  }

  int64_t axis_ = 0;
  bool keepdims_ = true;
  bool select_last_index_ = false;
};

using ReduceSum = Reduce<ReduceOp::kSum>;
using ReduceMean = Reduce<ReduceOp::kMean>;
using ReduceMax = Reduce<ReduceOp::kMax>;
using ReduceMin = Reduce<ReduceOp::kMin>;
using ReduceProd = Reduce<ReduceOp::kProd>;
using ReduceL1 = Reduce<ReduceOp::kL1>;
using ReduceL2 = Reduce<ReduceOp::kL2>;
using ReduceLogSum = Reduce<ReduceOp::kLogSum>;
using ReduceLogSumExp = Reduce<ReduceOp::kLogSumExp>;
using ReduceSumSquare = Reduce<ReduceOp::kSumSquare>;

// One entry per version of each op in the ONNX changelog. Versions that only widen the type list
// (ReduceMax/Min 12 and 20, the 13 versions adding bfloat16) share the kernel; the kernel checks
// the opset where behavior changes (axes input, select_last_index, bool).
const KernelRegistration kKernels[] = {
    {"", "ArgMax", 1, 10, CreateKernel<ArgExtreme<true>>},
    {"", "ArgMax", 11, 11, CreateKernel<ArgExtreme<true>>},
    {"", "ArgMax", 12, 12, CreateKernel<ArgExtreme<true>>},
    {"", "ArgMax", 13, kLatestOpset, CreateKernel<ArgExtreme<true>>},
    {"", "ArgMin", 1, 10, CreateKernel<ArgExtreme<false>>},
    {"", "ArgMin", 11, 11, CreateKernel<ArgExtreme<false>>},
    {"", "ArgMin", 12, 12, CreateKernel<ArgExtreme<false>>},
    {"", "ArgMin", 13, kLatestOpset, CreateKernel<ArgExtreme<false>>},
    {"", "ReduceL1", 1, 10, CreateKernel<ReduceL1>},
    {"", "ReduceL1", 11, 12, CreateKernel<ReduceL1>},
    {"", "ReduceL1", 13, 17, CreateKernel<ReduceL1>},
    {"", "ReduceL1", 18, kLatestOpset, CreateKernel<ReduceL1>},
    {"", "ReduceL2", 1, 10, CreateKernel<ReduceL2>},
    {"", "ReduceL2", 11, 12, CreateKernel<ReduceL2>},
    {"", "ReduceL2", 13, 17, CreateKernel<ReduceL2>},
    {"", "ReduceL2", 18, kLatestOpset, CreateKernel<ReduceL2>},
    {"", "ReduceLogSum", 1, 10, CreateKernel<ReduceLogSum>},
    {"", "ReduceLogSum", 11, 12, CreateKernel<ReduceLogSum>},
    {"", "ReduceLogSum", 13, 17, CreateKernel<ReduceLogSum>},
    {"", "ReduceLogSum", 18, kLatestOpset, CreateKernel<ReduceLogSum>},
    {"", "ReduceLogSumExp", 1, 10, CreateKernel<ReduceLogSumExp>},
    {"", "ReduceLogSumExp", 11, 12, CreateKernel<ReduceLogSumExp>},
    {"", "ReduceLogSumExp", 13, 17, CreateKernel<ReduceLogSumExp>},
    {"", "ReduceLogSumExp", 18, kLatestOpset, CreateKernel<ReduceLogSumExp>},
    {"", "ReduceMax", 1, 10, CreateKernel<ReduceMax>},
    {"", "ReduceMax", 11, 11, CreateKernel<ReduceMax>},
    {"", "ReduceMax", 12, 12, CreateKernel<ReduceMax>},
    {"", "ReduceMax", 13, 17, CreateKernel<ReduceMax>},
    {"", "ReduceMax", 18, 19, CreateKernel<ReduceMax>},
    {"", "ReduceMax", 20, kLatestOpset, CreateKernel<ReduceMax>},
    {"", "ReduceMean", 1, 10, CreateKernel<ReduceMean>},
    {"", "ReduceMean", 11, 12, CreateKernel<ReduceMean>},
    {"", "ReduceMean", 13, 17, CreateKernel<ReduceMean>},
    {"", "ReduceMean", 18, kLatestOpset, CreateKernel<ReduceMean>},
    {"", "ReduceMin", 1, 10, CreateKernel<ReduceMin>},
    {"", "ReduceMin", 11, 11, CreateKernel<ReduceMin>},
    {"", "ReduceMin", 12, 12, CreateKernel<ReduceMin>},
    {"", "ReduceMin", 13, 17, CreateKernel<ReduceMin>},
    {"", "ReduceMin", 18, 19, CreateKernel<ReduceMin>},
    {"", "ReduceMin", 20, kLatestOpset, CreateKernel<ReduceMin>},
    {"", "ReduceProd", 1, 10, CreateKernel<ReduceProd>},
    {"", "ReduceProd", 11, 12, CreateKernel<ReduceProd>},
    {"", "ReduceProd", 13, 17, CreateKernel<ReduceProd>},
    {"", "ReduceProd", 18, kLatestOpset, CreateKernel<ReduceProd>},
    {"", "ReduceSum", 1, 10, CreateKernel<ReduceSum>},
    {"", "ReduceSum", 11, 12, CreateKernel<ReduceSum>},
    {"", "ReduceSum", 13, kLatestOpset, CreateKernel<ReduceSum>},
    {"", "ReduceSumSquare", 1, 10, CreateKernel<ReduceSumSquare>},
    {"", "ReduceSumSquare", 11, 12, CreateKernel<ReduceSumSquare>},
    {"", "ReduceSumSquare", 13, 17, CreateKernel<ReduceSumSquare>},
    {"", "ReduceSumSquare", 18, kLatestOpset, CreateKernel<ReduceSumSquare>},
};

}  // namespace

std::span<const KernelRegistration> ReductionKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
