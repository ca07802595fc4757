// Unary elementwise kernels: math (Abs, Exp, Sin, Erf, Round, ...), predicates (IsNaN, IsInf,
// Not, BitwiseNot), activations (Relu, Elu, Sigmoid, Gelu, ...) including PRelu, Clip and
// Dropout (inference only). 16-bit floats compute in float and round once; integer ops wrap
// modulo 2^bits. Binary ops are in elementwise_binary.cc, Cast in cast.cc.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "runtime/kernels/reference/elementwise_util.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// Applies `op` to every element of input 0, writing output 0 of the same type and shape. `op`
// takes and returns the compute type (float for the 16-bit floats).
template <TypeSet kSet, typename Op>
Status MapUnary(KernelContext& context, std::string_view name, const Op& op) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  return DispatchSet<kSet>(x->dtype(), name, [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    const T* in = x->data<T>();
    T* out = y->mutableData<T>();
    for (int64_t i = 0, n = x->elementCount(); i < n; ++i) out[i] = FromCompute<T>(op(ToCompute(in[i])));
    return Status::Ok();
  });
}

// A unary kernel from an op description: `kSet` (the C++ types the op is written for), `kName`,
// `prepare(node)` reading the attributes, and a templated call operator on the compute type.
template <typename Op>
class UnaryKernel : public Kernel {
 public:
  Status prepare(const KernelInfo& info) { return op_.prepare(info.node); }
  Status run(KernelContext& context) override { return MapUnary<Op::kSet>(context, Op::kName, op_); }

 private:
  Op op_;
};

struct NoAttributes {
  Status prepare(const Node&) { return Status::Ok(); }
};

// Float-only ops without attributes; `x` is float or double.
#define ONNXKIT_FLOAT_UNARY(Name, expression)        \
  struct Name##Op : NoAttributes {                   \
    static constexpr TypeSet kSet = TypeSet::kFloat; \
    static constexpr std::string_view kName = #Name; \
    template <typename C>                            \
    C operator()(C x) const {                        \
      return expression;                             \
    }                                                \
  }

ONNXKIT_FLOAT_UNARY(Exp, std::exp(x));
ONNXKIT_FLOAT_UNARY(Log, std::log(x));
ONNXKIT_FLOAT_UNARY(Sqrt, std::sqrt(x));
ONNXKIT_FLOAT_UNARY(Reciprocal, C(1) / x);
ONNXKIT_FLOAT_UNARY(Floor, std::floor(x));
ONNXKIT_FLOAT_UNARY(Ceil, std::ceil(x));
ONNXKIT_FLOAT_UNARY(Round, std::nearbyint(x));  // the default rounding mode: half to even
ONNXKIT_FLOAT_UNARY(Sin, std::sin(x));
ONNXKIT_FLOAT_UNARY(Cos, std::cos(x));
ONNXKIT_FLOAT_UNARY(Tan, std::tan(x));
ONNXKIT_FLOAT_UNARY(Asin, std::asin(x));
ONNXKIT_FLOAT_UNARY(Acos, std::acos(x));
ONNXKIT_FLOAT_UNARY(Atan, std::atan(x));
ONNXKIT_FLOAT_UNARY(Sinh, std::sinh(x));
ONNXKIT_FLOAT_UNARY(Cosh, std::cosh(x));
ONNXKIT_FLOAT_UNARY(Asinh, std::asinh(x));
ONNXKIT_FLOAT_UNARY(Acosh, std::acosh(x));
ONNXKIT_FLOAT_UNARY(Atanh, std::atanh(x));
ONNXKIT_FLOAT_UNARY(Tanh, std::tanh(x));
// 1 / (1 + e^-x), written so that neither branch overflows.
ONNXKIT_FLOAT_UNARY(Sigmoid, x >= C(0) ? C(1) / (C(1) + std::exp(-x)) : std::exp(x) / (C(1) + std::exp(x)));
// ln(1 + e^x) = max(x, 0) + ln(1 + e^-|x|).
ONNXKIT_FLOAT_UNARY(Softplus, std::max(x, C(0)) + std::log1p(std::exp(-std::abs(x))));
ONNXKIT_FLOAT_UNARY(Softsign, x / (C(1) + std::abs(x)));
// x * max(0, min(1, x / 6 + 1/2)).
ONNXKIT_FLOAT_UNARY(HardSwish, x * std::max(C(0), std::min(C(1), x / C(6) + C(0.5))));
// x * tanh(softplus(x)).
ONNXKIT_FLOAT_UNARY(Mish, x * std::tanh(std::max(x, C(0)) + std::log1p(std::exp(-std::abs(x)))));

#undef ONNXKIT_FLOAT_UNARY

struct AbsOp : NoAttributes {
  static constexpr TypeSet kSet = TypeSet::kNumeric;
  static constexpr std::string_view kName = "Abs";
  template <typename C>
  C operator()(C x) const {
    if constexpr (std::is_unsigned_v<C>) return x;
    else if constexpr (kIsInteger<C>) return x < 0 ? WrapNeg(x) : x;  // abs(min) wraps to min
    else return std::abs(x);
  }
};

struct NegOp : NoAttributes {
  static constexpr TypeSet kSet = TypeSet::kSigned;
  static constexpr std::string_view kName = "Neg";
  template <typename C>
  C operator()(C x) const {
    if constexpr (kIsInteger<C>) return WrapNeg(x);
    else return -x;
  }
};

struct SignOp : NoAttributes {
  static constexpr TypeSet kSet = TypeSet::kNumeric;
  static constexpr std::string_view kName = "Sign";
  template <typename C>
  C operator()(C x) const {
    if constexpr (!kIsInteger<C>) {
      if (std::isnan(x)) return x;
    }
    if (x > C(0)) return C(1);
    if constexpr (std::is_signed_v<C>) {
      if (x < C(0)) return C(-1);
    }
    return C(0);
  }
};

// Erf is defined for integers too: the result is converted back (truncated).
struct ErfOp : NoAttributes {
  static constexpr TypeSet kSet = TypeSet::kNumeric;
  static constexpr std::string_view kName = "Erf";
  template <typename C>
  C operator()(C x) const {
    if constexpr (kIsInteger<C>) return ConvertValue<C>(std::erf(static_cast<double>(x)));
    else return std::erf(x);
  }
};

// NaN stays NaN (as numpy.maximum(x, 0)).
struct ReluOp : NoAttributes {
  static constexpr TypeSet kSet = TypeSet::kSigned;
  static constexpr std::string_view kName = "Relu";
  template <typename C>
  C operator()(C x) const {
    return x < C(0) ? C(0) : x;
  }
};

struct LeakyReluOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "LeakyRelu";
  float alpha = 0.01f;
  Status prepare(const Node& node) {
    alpha = node.getFloat("alpha", 0.01f);
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    return x < C(0) ? C(alpha) * x : x;
  }
};

struct EluOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "Elu";
  float alpha = 1.0f;
  Status prepare(const Node& node) {
    alpha = node.getFloat("alpha", 1.0f);
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    return x < C(0) ? C(alpha) * std::expm1(x) : x;
  }
};

struct SeluOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "Selu";
  // The defaults are the float32 values of the constants in the ONNX schema.
  float alpha = 1.67326319217681884765625f;
  float gamma = 1.05070102214813232421875f;
  Status prepare(const Node& node) {
    alpha = node.getFloat("alpha", alpha);
    gamma = node.getFloat("gamma", gamma);
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    return C(gamma) * (x > C(0) ? x : C(alpha) * std::expm1(x));
  }
};

struct CeluOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "Celu";
  float alpha = 1.0f;
  Status prepare(const Node& node) {
    alpha = node.getFloat("alpha", 1.0f);
    if (alpha == 0 || !std::isfinite(alpha)) return Status::Error("alpha must be finite and non-zero, got {}", alpha);
    return Status::Ok();
  }
  // max(0, x) + min(0, alpha * (exp(x / alpha) - 1))
  template <typename C>
  C operator()(C x) const {
    C a = C(alpha);
    return std::max(C(0), x) + std::min(C(0), a * std::expm1(x / a));
  }
};

struct HardSigmoidOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "HardSigmoid";
  float alpha = 0.2f;
  float beta = 0.5f;
  Status prepare(const Node& node) {
    alpha = node.getFloat("alpha", 0.2f);
    beta = node.getFloat("beta", 0.5f);
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    return std::max(C(0), std::min(C(1), C(alpha) * x + C(beta)));
  }
};

struct ThresholdedReluOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "ThresholdedRelu";
  float alpha = 1.0f;
  Status prepare(const Node& node) {
    alpha = node.getFloat("alpha", 1.0f);
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    return x > C(alpha) ? x : C(0);
  }
};

// y = x + bias if x < -lambd, x - bias if x > lambd, else 0. Integers compute in double and
// convert back.
struct ShrinkOp {
  static constexpr TypeSet kSet = TypeSet::kNumeric;
  static constexpr std::string_view kName = "Shrink";
  float bias = 0.0f;
  float lambd = 0.5f;
  Status prepare(const Node& node) {
    bias = node.getFloat("bias", 0.0f);
    lambd = node.getFloat("lambd", 0.5f);
    if (std::isnan(lambd) || std::isnan(bias)) return Status::Error("lambd and bias must not be NaN");
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    if constexpr (kIsInteger<C>) {
      double v = static_cast<double>(x);
      if (v < -double(lambd)) return ConvertValue<C>(v + double(bias));
      if (v > double(lambd)) return ConvertValue<C>(v - double(bias));
      return C(0);
    } else {
      if (x < C(-lambd)) return x + C(bias);
      if (x > C(lambd)) return x - C(bias);
      return std::isnan(x) ? x : C(0);
    }
  }
};

struct GeluOp {
  static constexpr TypeSet kSet = TypeSet::kFloat;
  static constexpr std::string_view kName = "Gelu";
  bool tanh_approximation = false;
  Status prepare(const Node& node) {
    std::string approximate = node.getString("approximate", "none");
    if (approximate != "none" && approximate != "tanh")
      return Status::Error("approximate must be \"none\" or \"tanh\", got \"{}\"", approximate);
    tanh_approximation = approximate == "tanh";
    return Status::Ok();
  }
  template <typename C>
  C operator()(C x) const {
    if (tanh_approximation) {
      // 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
      C inner = C(std::sqrt(2.0 / std::numbers::pi)) * (x + C(0.044715) * x * x * x);
      return C(0.5) * x * (C(1) + std::tanh(inner));
    }
    // 0.5 x (1 + erf(x / sqrt(2)))
    return C(0.5) * x * (C(1) + std::erf(x * C(1.0 / std::numbers::sqrt2)));
  }
};

// ---- Predicates: the output is bool ----

template <TypeSet kSet, typename Predicate>
Status MapToBool(KernelContext& context, std::string_view name, Predicate predicate) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  return DispatchSet<kSet>(x->dtype(), name, [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kBool, x->shape()));
    const T* in = x->data<T>();
    bool* out = y->mutableData<bool>();
    for (int64_t i = 0, n = x->elementCount(); i < n; ++i) out[i] = predicate(ToCompute(in[i]));
    return Status::Ok();
  });
}

Status IsNaN(KernelContext& context) {
  return MapToBool<TypeSet::kFloat>(context, "IsNaN", [](auto x) { return std::isnan(x); });
}

class IsInf : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    detect_negative_ = info.node.getInt("detect_negative", 1) != 0;
    detect_positive_ = info.node.getInt("detect_positive", 1) != 0;
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    return MapToBool<TypeSet::kFloat>(context, "IsInf", [&](auto x) {
      return std::isinf(x) && (x > 0 ? detect_positive_ : detect_negative_);
    });
  }

 private:
  bool detect_negative_ = true;
  bool detect_positive_ = true;
};

Status Not(KernelContext& context) {
  return MapUnary<TypeSet::kBool>(context, "Not", [](bool x) { return !x; });
}

Status BitwiseNot(KernelContext& context) {
  return MapUnary<TypeSet::kInteger>(context, "BitwiseNot", []<typename C>(C x) { return static_cast<C>(~x); });
}

// ---- PRelu: y = x < 0 ? slope * x : x ----
//
// From opset 7 the slope broadcasts unidirectionally to X (numpy rules, the result has X's shape).
// Up to opset 6 (Caffe2 semantics) the slope has either one element, shared by all, or one element
// per channel (X's axis 1); other slopes are accepted if they broadcast as in opset 7.
class PRelu : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    legacy_ = info.opset < 7;
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* slope, context.requiredInput(1));
    if (x->dtype() != slope->dtype())
      return Status::Error("X and slope have different types {} and {}", DataTypeName(x->dtype()),
                           DataTypeName(slope->dtype()));
    Shape slope_shape = slope->shape();
    int64_t count = slope->elementCount();
    if (legacy_ && count == 1) {
      slope_shape = Shape(x->rank(), 1);
    } else if (legacy_ && x->rank() >= 2 && count == x->dim(1)) {
      slope_shape = Shape(x->rank(), 1);
      slope_shape[1] = count;
    } else {
      auto broadcast = BroadcastShapes(x->shape(), slope->shape());
      if (!broadcast.ok() || *broadcast != x->shape())
        return Status::Error("slope of shape [{}] does not broadcast unidirectionally to X of shape [{}]",
                             ShapeToString(slope->shape()), ShapeToString(x->shape()));
    }
    return DispatchSet<TypeSet::kNumeric>(x->dtype(), "PRelu", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      const T* in = x->data<T>();
      const T* s = slope->data<T>();
      T* out = y->mutableData<T>();
      Shape shapes[] = {x->shape(), slope_shape};
      BroadcastWalker(x->shape(), shapes).forEach([&](int64_t i, std::span<const int64_t> offsets) {
        auto v = ToCompute(in[i]);
        using C = decltype(v);
        if (v < C(0)) {
          C a = ToCompute(s[offsets[1]]);
          if constexpr (kIsInteger<C>) v = WrapMul(a, v);
          else v = a * v;
        }
        out[i] = FromCompute<T>(v);
      });
      return Status::Ok();
    });
  }

 private:
  bool legacy_ = false;
};

// ---- Clip ----
//
// Opsets 1 and 6: `min` / `max` float attributes (default: the float range). From opset 11:
// optional scalar inputs of the input's type (default: the type's range). y = min(max(x, lo), hi),
// so when lo > hi every element becomes hi; NaN stays NaN.
class Clip : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    from_attributes_ = info.opset < 11;
    min_ = info.node.getFloat("min", std::numeric_limits<float>::lowest());
    max_ = info.node.getFloat("max", std::numeric_limits<float>::max());
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    return DispatchSet<TypeSet::kNumeric>(x->dtype(), "Clip", [&]<typename T>() -> Status {
      using C = ComputeType<T>;
      // Without bounds: the type's lowest and largest finite values (as the schema says).
      C lo = std::numeric_limits<C>::lowest();
      C hi = std::numeric_limits<C>::max();
      if constexpr (kIsHalf<T>) {
        T largest;
        largest.bits = std::is_same_v<T, Float16> ? 0x7BFF : 0x7F7F;
        hi = static_cast<float>(largest);
        lo = -hi;
      }
      if (from_attributes_) {
        if constexpr (!kIsInteger<C>) {
          lo = C(min_);
          hi = C(max_);
        }
      } else {
        for (size_t k = 1; k <= 2; ++k) {
          const Tensor* bound = context.input(k);
          if (!bound) continue;
          if (bound->dtype() != x->dtype())
            return Status::Error("{} has type {}, the input has {}", k == 1 ? "min" : "max",
                                 DataTypeName(bound->dtype()), DataTypeName(x->dtype()));
          if (bound->elementCount() != 1)
            return Status::Error("{} must be a scalar, got shape [{}]", k == 1 ? "min" : "max",
                                 ShapeToString(bound->shape()));
          (k == 1 ? lo : hi) = ToCompute(bound->data<T>()[0]);
        }
      }
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      for (int64_t i = 0, n = x->elementCount(); i < n; ++i) {
        C v = ToCompute(in[i]);
        if (v < lo) v = lo;  // comparisons with NaN are false: NaN passes through
        if (v > hi) v = hi;
        out[i] = FromCompute<T>(v);
      }
      return Status::Ok();
    });
  }

 private:
  bool from_attributes_ = false;
  float min_ = 0;
  float max_ = 0;
};

// ---- Dropout (inference): output = input, mask all ones ----
//
// Up to opset 9 the mask has the input's type; from opset 10 it is bool. Before opset 12 the
// `ratio` and `is_test` attributes are ignored (this is inference). From opset 12 `ratio` and
// `training_mode` are optional inputs; training mode with a non-zero ratio (random dropout) is not
// supported; the `seed` attribute is ignored.
class Dropout : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    opset_ = info.opset;
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    if (!IsFloatingPoint(x->dtype()))
      return Status::Error("Dropout does not support element type {}", DataTypeName(x->dtype()));
    if (opset_ >= 12) {
      double ratio = 0.5;
      if (const Tensor* r = context.input(1)) {
        if (!IsFloatingPoint(r->dtype()))
          return Status::Error("ratio must be a float scalar, got {}", DataTypeName(r->dtype()));
        ONNXKIT_ASSIGN_OR_RETURN(ratio, ReadScalarDouble(*r, "ratio"));
      }
      if (const Tensor* t = context.input(2)) {
        if (t->dtype() != DataType::kBool)
          return Status::Error("training_mode must be a bool scalar, got {}", DataTypeName(t->dtype()));
        ONNXKIT_ASSIGN_OR_RETURN(int64_t training, ReadScalarInt64(*t, "training_mode"));
        if (training && ratio != 0)
          return Status::Error("training mode is not supported (random dropout with ratio {})", ratio);
      }
    }
    context.setOutput(0, *x);
    if (context.outputCount() > 1 && context.outputRequested(1)) {
      DataType mask_type = opset_ >= 10 ? DataType::kBool : x->dtype();
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * mask, context.allocateOutput(1, mask_type, x->shape()));
      Status status = DispatchAmong<DataType::kBool, DataType::kFloat, DataType::kDouble, DataType::kFloat16,
                                    DataType::kBfloat16>(mask_type, "Dropout", [&]<typename M>() -> Status {
        std::fill_n(mask->mutableData<M>(), mask->elementCount(), M(1.0f));
        return Status::Ok();
      });
      ONNXKIT_RETURN_IF_ERROR(status);
    }
    return Status::Ok();
  }

 private:
  int64_t opset_ = 0;
};

template <typename Op>
constexpr KernelFactory Unary() {
  return &CreateKernel<UnaryKernel<Op>>;
}

const KernelRegistration kKernels[] = {
    {"", "Abs", 1, 5, Unary<AbsOp>(), FloatTypes()},
    {"", "Abs", 6, 12, Unary<AbsOp>(), NumericTypes()},
    {"", "Abs", 13, kLatestOpset, Unary<AbsOp>(), NumericTypesBf16()},
    {"", "Acos", 7, kLatestOpset, Unary<AcosOp>(), FloatTypes()},
    {"", "Acosh", 9, kLatestOpset, Unary<AcoshOp>(), FloatTypes()},
    {"", "Asin", 7, kLatestOpset, Unary<AsinOp>(), FloatTypes()},
    {"", "Asinh", 9, kLatestOpset, Unary<AsinhOp>(), FloatTypes()},
    {"", "Atan", 7, kLatestOpset, Unary<AtanOp>(), FloatTypes()},
    {"", "Atanh", 9, kLatestOpset, Unary<AtanhOp>(), FloatTypes()},
    {"", "BitwiseNot", 18, kLatestOpset, Function<BitwiseNot>(), IntegerTypes()},
    {"", "Ceil", 1, 5, Unary<CeilOp>(), FloatTypes()},
    {"", "Ceil", 6, 12, Unary<CeilOp>(), FloatTypes()},
    {"", "Ceil", 13, kLatestOpset, Unary<CeilOp>(), FloatTypesBf16()},
    {"", "Celu", 12, kLatestOpset, Unary<CeluOp>(), {DataType::kFloat}},
    {"", "Clip", 1, 5, CreateKernel<Clip>, FloatTypes()},
    {"", "Clip", 6, 10, CreateKernel<Clip>, FloatTypes()},
    {"", "Clip", 11, 11, CreateKernel<Clip>, FloatTypes()},
    {"", "Clip", 12, 12, CreateKernel<Clip>, NumericTypes()},
    {"", "Clip", 13, kLatestOpset, CreateKernel<Clip>, NumericTypesBf16()},
    {"", "Cos", 7, kLatestOpset, Unary<CosOp>(), FloatTypes()},
    {"", "Cosh", 9, kLatestOpset, Unary<CoshOp>(), FloatTypes()},
    {"", "Dropout", 1, 5, CreateKernel<Dropout>, FloatTypes()},
    {"", "Dropout", 6, 6, CreateKernel<Dropout>, FloatTypes()},
    {"", "Dropout", 7, 9, CreateKernel<Dropout>, FloatTypes()},
    {"", "Dropout", 10, 11, CreateKernel<Dropout>, FloatTypes()},
    {"", "Dropout", 12, 12, CreateKernel<Dropout>, FloatTypes()},
    {"", "Dropout", 13, kLatestOpset, CreateKernel<Dropout>, FloatTypesBf16()},
    {"", "Elu", 1, 5, Unary<EluOp>(), FloatTypes()},
    {"", "Elu", 6, kLatestOpset, Unary<EluOp>(), FloatTypes()},
    {"", "Erf", 9, 12, Unary<ErfOp>(), NumericTypes()},
    {"", "Erf", 13, kLatestOpset, Unary<ErfOp>(), NumericTypesBf16()},
    {"", "Exp", 1, 5, Unary<ExpOp>(), FloatTypes()},
    {"", "Exp", 6, 12, Unary<ExpOp>(), FloatTypes()},
    {"", "Exp", 13, kLatestOpset, Unary<ExpOp>(), FloatTypesBf16()},
    {"", "Floor", 1, 5, Unary<FloorOp>(), FloatTypes()},
    {"", "Floor", 6, 12, Unary<FloorOp>(), FloatTypes()},
    {"", "Floor", 13, kLatestOpset, Unary<FloorOp>(), FloatTypesBf16()},
    {"", "Gelu", 20, kLatestOpset, Unary<GeluOp>(), FloatTypesBf16()},
    {"", "HardSigmoid", 1, 5, Unary<HardSigmoidOp>(), FloatTypes()},
    {"", "HardSigmoid", 6, kLatestOpset, Unary<HardSigmoidOp>(), FloatTypes()},
    {"", "HardSwish", 14, kLatestOpset, Unary<HardSwishOp>(), FloatTypes()},
    {"", "IsInf", 10, 19, CreateKernel<IsInf>, {DataType::kFloat, DataType::kDouble}},
    {"", "IsInf", 20, kLatestOpset, CreateKernel<IsInf>, FloatTypesBf16()},
    {"", "IsNaN", 9, 12, Function<IsNaN>(), FloatTypes()},
    {"", "IsNaN", 13, 19, Function<IsNaN>(), FloatTypesBf16()},
    {"", "IsNaN", 20, kLatestOpset, Function<IsNaN>(), FloatTypesBf16()},
    {"", "LeakyRelu", 1, 5, Unary<LeakyReluOp>(), FloatTypes()},
    {"", "LeakyRelu", 6, 15, Unary<LeakyReluOp>(), FloatTypes()},
    {"", "LeakyRelu", 16, kLatestOpset, Unary<LeakyReluOp>(), FloatTypesBf16()},
    {"", "Log", 1, 5, Unary<LogOp>(), FloatTypes()},
    {"", "Log", 6, 12, Unary<LogOp>(), FloatTypes()},
    {"", "Log", 13, kLatestOpset, Unary<LogOp>(), FloatTypesBf16()},
    {"", "Mish", 18, kLatestOpset, Unary<MishOp>(), FloatTypes()},
    {"", "Neg", 1, 5, Unary<NegOp>(), FloatTypes()},
    {"", "Neg", 6, 12, Unary<NegOp>(), SignedTypes()},
    {"", "Neg", 13, kLatestOpset, Unary<NegOp>(), SignedTypesBf16()},
    {"", "Not", 1, kLatestOpset, Function<Not>(), BoolTypes()},
    {"", "PRelu", 1, 5, CreateKernel<PRelu>, FloatTypes()},
    {"", "PRelu", 6, 6, CreateKernel<PRelu>, FloatTypes()},
    {"", "PRelu", 7, 8, CreateKernel<PRelu>, FloatTypes()},
    {"", "PRelu", 9, 15, CreateKernel<PRelu>,
     {DataType::kFloat16, DataType::kFloat, DataType::kDouble, DataType::kUint32, DataType::kUint64, DataType::kInt32,
      DataType::kInt64}},
    {"", "PRelu", 16, kLatestOpset, CreateKernel<PRelu>,
     {DataType::kBfloat16, DataType::kFloat16, DataType::kFloat, DataType::kDouble, DataType::kUint32,
      DataType::kUint64, DataType::kInt32, DataType::kInt64}},
    {"", "Reciprocal", 1, 5, Unary<ReciprocalOp>(), FloatTypes()},
    {"", "Reciprocal", 6, 12, Unary<ReciprocalOp>(), FloatTypes()},
    {"", "Reciprocal", 13, kLatestOpset, Unary<ReciprocalOp>(), FloatTypesBf16()},
    {"", "Relu", 1, 5, Unary<ReluOp>(), FloatTypes()},
    {"", "Relu", 6, 12, Unary<ReluOp>(), FloatTypes()},
    {"", "Relu", 13, 13, Unary<ReluOp>(), FloatTypesBf16()},
    {"", "Relu", 14, kLatestOpset, Unary<ReluOp>(), SignedTypesBf16()},
    {"", "Round", 11, kLatestOpset, Unary<RoundOp>(), FloatTypes()},
    {"", "Selu", 1, 5, Unary<SeluOp>(), FloatTypes()},
    {"", "Selu", 6, kLatestOpset, Unary<SeluOp>(), FloatTypes()},
    {"", "Shrink", 9, kLatestOpset, Unary<ShrinkOp>(), NumericTypes()},
    {"", "Sigmoid", 1, 5, Unary<SigmoidOp>(), FloatTypes()},
    {"", "Sigmoid", 6, 12, Unary<SigmoidOp>(), FloatTypes()},
    {"", "Sigmoid", 13, kLatestOpset, Unary<SigmoidOp>(), FloatTypesBf16()},
    {"", "Sign", 9, 12, Unary<SignOp>(), NumericTypes()},
    {"", "Sign", 13, kLatestOpset, Unary<SignOp>(), NumericTypesBf16()},
    {"", "Sin", 7, kLatestOpset, Unary<SinOp>(), FloatTypes()},
    {"", "Sinh", 9, kLatestOpset, Unary<SinhOp>(), FloatTypes()},
    {"", "Softplus", 1, kLatestOpset, Unary<SoftplusOp>(), FloatTypes()},
    {"", "Softsign", 1, kLatestOpset, Unary<SoftsignOp>(), FloatTypes()},
    {"", "Sqrt", 1, 5, Unary<SqrtOp>(), FloatTypes()},
    {"", "Sqrt", 6, 12, Unary<SqrtOp>(), FloatTypes()},
    {"", "Sqrt", 13, kLatestOpset, Unary<SqrtOp>(), FloatTypesBf16()},
    {"", "Tan", 7, kLatestOpset, Unary<TanOp>(), FloatTypes()},
    {"", "Tanh", 1, 5, Unary<TanhOp>(), FloatTypes()},
    {"", "Tanh", 6, 12, Unary<TanhOp>(), FloatTypes()},
    {"", "Tanh", 13, kLatestOpset, Unary<TanhOp>(), FloatTypesBf16()},
    {"", "ThresholdedRelu", 10, kLatestOpset, Unary<ThresholdedReluOp>(), FloatTypes()},
};

}  // namespace

std::span<const KernelRegistration> ElementwiseKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
