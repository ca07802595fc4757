// Binary and variadic elementwise kernels with numpy-style broadcasting: arithmetic (Add, Sub,
// Mul, Div, Mod, Pow), bitwise ops, logic (And, Or, Xor), comparisons (Equal, Less, ...), Max,
// Min, Sum, Mean and Where. 16-bit floats compute in float and round once; integer arithmetic
// wraps modulo 2^bits; integer division or modulo by zero is an error.
//
// Opsets before 7 (Add, Sub, Mul, Div, Pow, And, Or, Xor, Equal, Less, Greater) broadcast only
// B to A, and only with the `broadcast` attribute (see LegacyShapeOfB); Max, Min, Sum and Mean
// before opset 8 need inputs of the same shape.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "runtime/kernels/reference/elementwise_util.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// Calls visit(out_index, a_offset, b_offset) for every element of `out` (in row-major order), with
// a and b broadcast to it.
template <typename Visit>
void ForEachPair(const Shape& out, const Shape& a, const Shape& b, Visit&& visit) {
  int64_t count = ProductOf(out, 0, out.size());
  int64_t a_count = ProductOf(a, 0, a.size());
  int64_t b_count = ProductOf(b, 0, b.size());
  if (a == out && b == out) {
    for (int64_t i = 0; i < count; ++i) visit(i, i, i);
  } else if (a == out && b_count == 1) {
    for (int64_t i = 0; i < count; ++i) visit(i, i, int64_t{0});
  } else if (a_count == 1 && b == out) {
    for (int64_t i = 0; i < count; ++i) visit(i, int64_t{0}, i);
  } else {
    Shape shapes[] = {a, b};
    BroadcastWalker(out, shapes).forEach(
        [&](int64_t i, std::span<const int64_t> offsets) { visit(i, offsets[0], offsets[1]); });
  }
}

// The legacy broadcasting of opsets 1-6: with broadcast=0 the shapes must be equal; with
// broadcast=1, B (of rank <= A's) matches a contiguous run of A's dims starting at `axis`
// (default: the trailing dims), each B dim equal to A's or 1; a B with one element is a scalar.
// Returns B's shape padded with 1s to A's rank, so that numpy broadcasting gives A's shape.
Result<Shape> LegacyShapeOfB(const Shape& a, const Shape& b, bool broadcast, std::optional<int64_t> axis) {
  if (!broadcast) {
    if (a != b)
      return Status::Error("shapes [{}] and [{}] differ and the broadcast attribute is not set", ShapeToString(a),
                           ShapeToString(b));
    return b;
  }
  int64_t a_rank = static_cast<int64_t>(a.size());
  int64_t b_rank = static_cast<int64_t>(b.size());
  if (b_rank > a_rank)
    return Status::Error("B of shape [{}] has a higher rank than A of shape [{}]", ShapeToString(b), ShapeToString(a));
  if (ProductOf(b, 0, b.size()) == 1) return Shape(a.size(), 1);
  // axis -1 (Caffe2's default) means trailing alignment too.
  int64_t start = axis && *axis != -1 ? *axis : a_rank - b_rank;
  if (start < 0 || start + b_rank > a_rank)
    return Status::Error("axis {} does not fit B of shape [{}] into A of shape [{}]", start, ShapeToString(b),
                         ShapeToString(a));
  Shape padded(a.size(), 1);
  for (int64_t i = 0; i < b_rank; ++i) {
    int64_t dim = b[static_cast<size_t>(i)];
    if (dim != a[static_cast<size_t>(start + i)] && dim != 1)
      return Status::Error("B of shape [{}] does not match A of shape [{}] from axis {}", ShapeToString(b),
                           ShapeToString(a), start);
    padded[static_cast<size_t>(start + i)] = dim;
  }
  return padded;
}

// Reads element type T of a tensor as the op sees it: the compute type for numbers, a reference
// for strings.
template <typename T>
decltype(auto) Load(const T& value) {
  if constexpr (std::is_same_v<T, std::string>) return (value);
  else return ToCompute(value);
}

template <typename T>
const T* Elements(const Tensor& tensor) {
  if constexpr (std::is_same_v<T, std::string>) return tensor.strings().data();
  else return tensor.data<T>();
}

// The attributes shared by every binary kernel: the legacy broadcast ones.
struct LegacyBroadcast {
  bool legacy = false;
  bool broadcast = false;
  std::optional<int64_t> axis;

  void read(const KernelInfo& info) {
    legacy = info.opset < 7;
    broadcast = info.node.getInt("broadcast", 0) != 0;
    if (const Attribute* attribute = info.node.attribute("axis")) axis = attribute->i();
  }
  // B as the op sees it (a view with a padded shape under the legacy rules).
  Result<Tensor> adjust(const Tensor& a, const Tensor& b) const {
    if (!legacy) return b;
    ONNXKIT_ASSIGN_OR_RETURN(Shape shape, LegacyShapeOfB(a.shape(), b.shape(), broadcast, axis));
    return b.reshaped(std::move(shape));
  }
};

// A binary kernel from an op description: `kSet` (the C++ types it is written for), `kName`,
// `kBoolOutput`, `prepare(node)`, `check<T>(b)` (validates the second operand, e.g. for zeros),
// and a templated call operator on the compute type (on const std::string& for strings).
template <typename Op>
class BinaryKernel : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    legacy_.read(info);
    return op_.prepare(info.node);
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b_input, context.requiredInput(1));
    if (a->dtype() != b_input->dtype())
      return Status::Error("inputs have different types {} and {}", DataTypeName(a->dtype()),
                           DataTypeName(b_input->dtype()));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor b, legacy_.adjust(*a, *b_input));
    ONNXKIT_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(a->shape(), b.shape()));
    return DispatchSet<Op::kSet>(a->dtype(), Op::kName, [&]<typename T>() -> Status {
      ONNXKIT_RETURN_IF_ERROR(op_.template check<T>(b));
      using Out = std::conditional_t<Op::kBoolOutput, bool, T>;
      static_assert(!std::is_same_v<Out, std::string>, "string results are not supported");
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * c, context.allocateOutput(0, DataTypeOf<Out>(), shape));
      const T* x = Elements<T>(*a);
      const T* y = Elements<T>(b);
      Out* z = c->mutableData<Out>();
      ForEachPair(shape, a->shape(), b.shape(), [&](int64_t i, int64_t ia, int64_t ib) {
        auto result = op_(Load(x[ia]), Load(y[ib]));
        if constexpr (Op::kBoolOutput) z[i] = result;
        else z[i] = FromCompute<T>(result);
      });
      return Status::Ok();
    });
  }

 private:
  LegacyBroadcast legacy_;
  Op op_;
};

struct NoAttributes {
  Status prepare(const Node&) { return Status::Ok(); }
  template <typename T>
  Status check(const Tensor&) const {
    return Status::Ok();
  }
};

template <typename C>
C Plus(C a, C b) {
  if constexpr (kIsInteger<C>) return WrapAdd(a, b);
  else return a + b;
}
template <typename C>
C Minus(C a, C b) {
  if constexpr (kIsInteger<C>) return WrapSub(a, b);
  else return a - b;
}
template <typename C>
C Times(C a, C b) {
  if constexpr (kIsInteger<C>) return WrapMul(a, b);
  else return a * b;
}

// Ops on numbers or bools without attributes; `a` and `b` have the compute type C.
#define ONNXKIT_BINARY(Name, set, bool_output, expression) \
  struct Name##Op : NoAttributes {                         \
    static constexpr TypeSet kSet = set;                   \
    static constexpr std::string_view kName = #Name;       \
    static constexpr bool kBoolOutput = bool_output;       \
    template <typename C>                                  \
    auto operator()(const C& a, const C& b) const {        \
      return expression;                                   \
    }                                                      \
  }

ONNXKIT_BINARY(Add, TypeSet::kNumeric, false, Plus(a, b));
ONNXKIT_BINARY(Sub, TypeSet::kNumeric, false, Minus(a, b));
ONNXKIT_BINARY(Mul, TypeSet::kNumeric, false, Times(a, b));
ONNXKIT_BINARY(And, TypeSet::kBool, true, a && b);
ONNXKIT_BINARY(Or, TypeSet::kBool, true, a || b);
ONNXKIT_BINARY(Xor, TypeSet::kBool, true, a != b);
ONNXKIT_BINARY(BitwiseAnd, TypeSet::kInteger, false, static_cast<C>(a & b));
ONNXKIT_BINARY(BitwiseOr, TypeSet::kInteger, false, static_cast<C>(a | b));
ONNXKIT_BINARY(BitwiseXor, TypeSet::kInteger, false, static_cast<C>(a ^ b));
ONNXKIT_BINARY(Equal, TypeSet::kAny, true, a == b);  // NaN is not equal to itself
ONNXKIT_BINARY(Less, TypeSet::kNumeric, true, a < b);
ONNXKIT_BINARY(Greater, TypeSet::kNumeric, true, a > b);
ONNXKIT_BINARY(LessOrEqual, TypeSet::kNumeric, true, a <= b);
ONNXKIT_BINARY(GreaterOrEqual, TypeSet::kNumeric, true, a >= b);

#undef ONNXKIT_BINARY

// An error if an integer divisor has a zero element.
template <typename T>
Status CheckIntegerDivisor(const Tensor& b) {
  if constexpr (kIsInteger<T>) {
    const T* y = b.data<T>();
    for (int64_t i = 0, n = b.elementCount(); i < n; ++i)
      if (y[i] == T(0)) return Status::Error("integer division by zero (element {} of the divisor)", i);
  }
  return Status::Ok();
}

// Integer division truncates toward zero (as C); min / -1 wraps to min.
struct DivOp {
  static constexpr TypeSet kSet = TypeSet::kNumeric;
  static constexpr std::string_view kName = "Div";
  static constexpr bool kBoolOutput = false;
  Status prepare(const Node&) { return Status::Ok(); }
  template <typename T>
  Status check(const Tensor& b) const {
    return CheckIntegerDivisor<T>(b);
  }
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (kIsInteger<C> && std::is_signed_v<C>) {
      if (b == C(-1)) return WrapNeg(a);
    }
    return static_cast<C>(a / b);
  }
};

// fmod=0 (integers only): the remainder has the sign of the divisor (Python's %). fmod=1: the sign
// of the dividend (C's fmod and %).
struct ModOp {
  static constexpr TypeSet kSet = TypeSet::kNumeric;
  static constexpr std::string_view kName = "Mod";
  static constexpr bool kBoolOutput = false;
  bool fmod = false;
  Status prepare(const Node& node) {
    int64_t value = node.getInt("fmod", 0);
    if (value != 0 && value != 1) return Status::Error("fmod must be 0 or 1, got {}", value);
    fmod = value == 1;
    return Status::Ok();
  }
  template <typename T>
  Status check(const Tensor& b) const {
    if (!kIsInteger<T> && !fmod) return Status::Error("fmod must be 1 for floating-point inputs");
    return CheckIntegerDivisor<T>(b);
  }
  template <typename C>
  C operator()(C a, C b) const {
    if constexpr (kIsInteger<C>) {
      if constexpr (std::is_signed_v<C>) {
        if (b == C(-1)) return C(0);  // min % -1 would trap
      }
      C r = static_cast<C>(a % b);
      if (!fmod && r != C(0) && ((r < C(0)) != (b < C(0)))) r = static_cast<C>(r + b);
      return r;
    } else {
      return std::fmod(a, b);
    }
  }
};

struct BitShiftOp {
  static constexpr TypeSet kSet = TypeSet::kUnsigned;
  static constexpr std::string_view kName = "BitShift";
  static constexpr bool kBoolOutput = false;
  bool left = false;
  Status prepare(const Node& node) {
    std::string direction = node.getString("direction", "");
    if (direction != "LEFT" && direction != "RIGHT")
      return Status::Error("direction must be \"LEFT\" or \"RIGHT\", got \"{}\"", direction);
    left = direction == "LEFT";
    return Status::Ok();
  }
  template <typename T>
  Status check(const Tensor&) const {
    return Status::Ok();
  }
  // Shifting by the bit width or more gives 0.
  template <typename C>
  C operator()(C a, C b) const {
    if (b >= C(sizeof(C) * 8)) return C(0);
    using U = WideUnsigned<C>;
    return static_cast<C>(left ? static_cast<U>(a) << b : static_cast<U>(a) >> b);
  }
};

// ---- Pow: the exponent may have another type than the base (from opset 12) ----
//
// Float bases compute in double and round once. Integer bases with integer exponents compute
// exactly (wrapping); a negative exponent gives the truncated 1 / base^-e (0 unless |base| is 1) and
// 0 to a negative power is an error. Integer bases with float exponents compute in double and
// convert back (truncating).
template <typename C, typename E>
C IntegerPower(C base, E exponent, bool& zero_to_negative) {
  if constexpr (std::is_signed_v<E>) {
    if (exponent < 0) {
      if (base == C(1)) return C(1);
      if constexpr (std::is_signed_v<C>) {
        if (base == C(-1)) return (exponent % 2 == 0) ? C(1) : C(-1);
      }
      if (base == C(0)) zero_to_negative = true;
      return C(0);
    }
  }
  C result = C(1);
  auto e = static_cast<uint64_t>(exponent);
  while (e != 0) {
    if (e & 1) result = WrapMul(result, base);
    e >>= 1;
    if (e != 0) base = WrapMul(base, base);
  }
  return result;
}

class Pow : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    legacy_.read(info);
    mixed_types_ = info.opset >= 12;
    bfloat16_exponent_ = info.opset >= 15;
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* y_input, context.requiredInput(1));
    if (!mixed_types_ && x->dtype() != y_input->dtype())
      return Status::Error("base and exponent have different types {} and {}", DataTypeName(x->dtype()),
                           DataTypeName(y_input->dtype()));
    if (y_input->dtype() == DataType::kBfloat16 && !bfloat16_exponent_)
      return Status::Error("a bfloat16 exponent needs opset 15 or later");
    ONNXKIT_ASSIGN_OR_RETURN(Tensor y, legacy_.adjust(*x, *y_input));
    ONNXKIT_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(x->shape(), y.shape()));
    return DispatchSet<TypeSet::kNumeric>(x->dtype(), "Pow", [&]<typename T>() -> Status {
      return DispatchSet<TypeSet::kNumeric>(y.dtype(), "Pow (exponent)", [&]<typename E>() -> Status {
        ONNXKIT_ASSIGN_OR_RETURN(Tensor * z, context.allocateOutput(0, x->dtype(), shape));
        const T* base = x->data<T>();
        const E* exponent = y.data<E>();
        T* out = z->mutableData<T>();
        bool zero_to_negative = false;
        ForEachPair(shape, x->shape(), y.shape(), [&](int64_t i, int64_t ix, int64_t iy) {
          auto b = ToCompute(base[ix]);
          auto e = ToCompute(exponent[iy]);
          if constexpr (kIsInteger<decltype(b)> && kIsInteger<decltype(e)>) {
            out[i] = IntegerPower(b, e, zero_to_negative);
          } else {
            out[i] = ConvertValue<T>(std::pow(static_cast<double>(b), static_cast<double>(e)));
          }
        });
        if (zero_to_negative) return Status::Error("integer 0 raised to a negative power");
        return Status::Ok();
      });
    });
  }

 private:
  LegacyBroadcast legacy_;
  bool mixed_types_ = false;
  bool bfloat16_exponent_ = false;
};

// ---- Max, Min, Sum, Mean over any number of inputs ----

enum class Reduction { kMax, kMin, kSum, kMean };

template <Reduction kOp, TypeSet kSet>
class Variadic : public Kernel {
 public:
  static constexpr std::string_view kName = kOp == Reduction::kMax   ? "Max"
                                            : kOp == Reduction::kMin ? "Min"
                                            : kOp == Reduction::kSum ? "Sum"
                                                                     : "Mean";

  Status prepare(const KernelInfo& info) {
    broadcast_ = info.opset >= 8;
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    std::vector<const Tensor*> inputs;
    std::vector<Shape> shapes;
    for (size_t i = 0; i < context.inputCount(); ++i) {
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* input, context.requiredInput(i));
      if (!inputs.empty() && input->dtype() != inputs[0]->dtype())
        return Status::Error("input {} has type {}, input 0 has {}", i, DataTypeName(input->dtype()),
                             DataTypeName(inputs[0]->dtype()));
      if (!broadcast_ && !inputs.empty() && input->shape() != inputs[0]->shape())
        return Status::Error("input {} has shape [{}], input 0 has [{}] (broadcasting needs opset 8)", i,
                             ShapeToString(input->shape()), ShapeToString(inputs[0]->shape()));
      inputs.push_back(input);
      shapes.push_back(input->shape());
    }
    if (inputs.empty()) return Status::Error("{} needs at least one input", kName);
    ONNXKIT_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(shapes));
    return DispatchSet<kSet>(inputs[0]->dtype(), kName, [&]<typename T>() -> Status {
      if (inputs.size() == 1) {  // the identity (for every op, Mean included)
        context.setOutput(0, *inputs[0]);
        return Status::Ok();
      }
      using C = ComputeType<T>;
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, inputs[0]->dtype(), shape));
      ONNXKIT_ASSIGN_OR_RETURN(Tensor accumulator, Tensor::Allocate(DataTypeOf<C>(), shape));
      C* acc = accumulator.mutableData<C>();
      for (size_t k = 0; k < inputs.size(); ++k) {
        const T* x = inputs[k]->data<T>();
        Shape one[] = {shapes[k]};
        BroadcastWalker(shape, one).forEach([&](int64_t i, std::span<const int64_t> offsets) {
          C v = ToCompute(x[offsets[0]]);
          C& a = acc[i];
          if (k == 0) a = v;
          else a = Combine(a, v);
        });
      }
      T* z = out->mutableData<T>();
      for (int64_t i = 0, n = out->elementCount(); i < n; ++i) {
        C v = acc[i];
        if constexpr (kOp == Reduction::kMean) v = v / static_cast<C>(inputs.size());
        z[i] = FromCompute<T>(v);
      }
      return Status::Ok();
    });
  }

 private:
  // NaN propagates through Max and Min (as numpy.maximum / minimum).
  template <typename C>
  static C Combine(C a, C b) {
    if constexpr (kOp == Reduction::kMax || kOp == Reduction::kMin) {
      bool take_b = kOp == Reduction::kMax ? b > a : b < a;
      if constexpr (!kIsInteger<C>) take_b = take_b || std::isnan(b);
      return take_b ? b : a;
    } else {
      if constexpr (kIsInteger<C>) return WrapAdd(a, b);
      else return a + b;
    }
  }

  bool broadcast_ = false;
};

// ---- Where(condition, X, Y) ----

Status Where(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* condition, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(1));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* y, context.requiredInput(2));
  if (condition->dtype() != DataType::kBool)
    return Status::Error("condition must be bool, got {}", DataTypeName(condition->dtype()));
  if (x->dtype() != y->dtype())
    return Status::Error("X and Y have different types {} and {}", DataTypeName(x->dtype()), DataTypeName(y->dtype()));
  if (x->dtype() == DataType::kBfloat16 && context.opset() < 16)
    return Status::Error("Where supports bfloat16 from opset 16");
  Shape shapes[] = {condition->shape(), x->shape(), y->shape()};
  ONNXKIT_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(shapes));
  return DispatchSet<TypeSet::kAny>(x->dtype(), "Where", [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, x->dtype(), shape));
    const bool* c = condition->data<bool>();
    const T* a = Elements<T>(*x);
    const T* b = Elements<T>(*y);
    T* z;
    if constexpr (std::is_same_v<T, std::string>) z = out->mutableStrings().data();
    else z = out->mutableData<T>();
    BroadcastWalker(shape, shapes).forEach([&](int64_t i, std::span<const int64_t> offsets) {
      z[i] = c[offsets[0]] ? a[offsets[1]] : b[offsets[2]];
    });
    return Status::Ok();
  });
}

template <typename Op>
constexpr KernelFactory Binary() {
  return &CreateKernel<BinaryKernel<Op>>;
}

using MaxKernel = Variadic<Reduction::kMax, TypeSet::kNumeric>;
using MinKernel = Variadic<Reduction::kMin, TypeSet::kNumeric>;
using SumKernel = Variadic<Reduction::kSum, TypeSet::kFloat>;
using MeanKernel = Variadic<Reduction::kMean, TypeSet::kFloat>;

std::vector<DataType> ArithmeticTypes6() {  // Add/Sub/Mul/Div 6 to 12
  return {DataType::kUint32, DataType::kUint64, DataType::kInt32, DataType::kInt64,
          DataType::kFloat16, DataType::kFloat, DataType::kDouble};
}
std::vector<DataType> ArithmeticTypes13() {
  auto types = ArithmeticTypes6();
  types.push_back(DataType::kBfloat16);
  return types;
}
std::vector<DataType> PowBaseTypes12() {
  return {DataType::kInt32, DataType::kInt64, DataType::kFloat16, DataType::kFloat, DataType::kDouble};
}
std::vector<DataType> PowBaseTypes13() {
  auto types = PowBaseTypes12();
  types.push_back(DataType::kBfloat16);
  return types;
}
std::vector<DataType> EqualTypes11() {
  auto types = NumericTypes();
  types.push_back(DataType::kBool);
  return types;
}
std::vector<DataType> EqualTypes13() {
  auto types = NumericTypesBf16();
  types.push_back(DataType::kBool);
  return types;
}

const KernelRegistration kKernels[] = {
    {"", "Add", 1, 5, Binary<AddOp>(), FloatTypes()},
    {"", "Add", 6, 6, Binary<AddOp>(), ArithmeticTypes6()},
    {"", "Add", 7, 12, Binary<AddOp>(), ArithmeticTypes6()},
    {"", "Add", 13, 13, Binary<AddOp>(), ArithmeticTypes13()},
    {"", "Add", 14, kLatestOpset, Binary<AddOp>(), NumericTypesBf16()},
    {"", "And", 1, 6, Binary<AndOp>(), BoolTypes()},
    {"", "And", 7, kLatestOpset, Binary<AndOp>(), BoolTypes()},
    {"", "BitShift", 11, kLatestOpset, Binary<BitShiftOp>(), UnsignedTypes()},
    {"", "BitwiseAnd", 18, kLatestOpset, Binary<BitwiseAndOp>(), IntegerTypes()},
    {"", "BitwiseOr", 18, kLatestOpset, Binary<BitwiseOrOp>(), IntegerTypes()},
    {"", "BitwiseXor", 18, kLatestOpset, Binary<BitwiseXorOp>(), IntegerTypes()},
    {"", "Div", 1, 5, Binary<DivOp>(), FloatTypes()},
    {"", "Div", 6, 6, Binary<DivOp>(), ArithmeticTypes6()},
    {"", "Div", 7, 12, Binary<DivOp>(), ArithmeticTypes6()},
    {"", "Div", 13, 13, Binary<DivOp>(), ArithmeticTypes13()},
    {"", "Div", 14, kLatestOpset, Binary<DivOp>(), NumericTypesBf16()},
    {"", "Equal", 1, 6, Binary<EqualOp>(), {DataType::kBool, DataType::kInt32, DataType::kInt64}},
    {"", "Equal", 7, 10, Binary<EqualOp>(), {DataType::kBool, DataType::kInt32, DataType::kInt64}},
    {"", "Equal", 11, 12, Binary<EqualOp>(), EqualTypes11()},
    {"", "Equal", 13, 18, Binary<EqualOp>(), EqualTypes13()},
    {"", "Equal", 19, kLatestOpset, Binary<EqualOp>(), AllTypes()},
    {"", "Greater", 1, 6, Binary<GreaterOp>(), FloatTypes()},
    {"", "Greater", 7, 8, Binary<GreaterOp>(), FloatTypes()},
    {"", "Greater", 9, 12, Binary<GreaterOp>(), NumericTypes()},
    {"", "Greater", 13, kLatestOpset, Binary<GreaterOp>(), NumericTypesBf16()},
    {"", "GreaterOrEqual", 12, 15, Binary<GreaterOrEqualOp>(), NumericTypes()},
    {"", "GreaterOrEqual", 16, kLatestOpset, Binary<GreaterOrEqualOp>(), NumericTypesBf16()},
    {"", "Less", 1, 6, Binary<LessOp>(), FloatTypes()},
    {"", "Less", 7, 8, Binary<LessOp>(), FloatTypes()},
    {"", "Less", 9, 12, Binary<LessOp>(), NumericTypes()},
    {"", "Less", 13, kLatestOpset, Binary<LessOp>(), NumericTypesBf16()},
    {"", "LessOrEqual", 12, 15, Binary<LessOrEqualOp>(), NumericTypes()},
    {"", "LessOrEqual", 16, kLatestOpset, Binary<LessOrEqualOp>(), NumericTypesBf16()},
    {"", "Max", 1, 5, CreateKernel<MaxKernel>, FloatTypes()},
    {"", "Max", 6, 7, CreateKernel<MaxKernel>, FloatTypes()},
    {"", "Max", 8, 11, CreateKernel<MaxKernel>, FloatTypes()},
    {"", "Max", 12, 12, CreateKernel<MaxKernel>, NumericTypes()},
    {"", "Max", 13, kLatestOpset, CreateKernel<MaxKernel>, NumericTypesBf16()},
    {"", "Mean", 1, 5, CreateKernel<MeanKernel>, FloatTypes()},
    {"", "Mean", 6, 7, CreateKernel<MeanKernel>, FloatTypes()},
    {"", "Mean", 8, 12, CreateKernel<MeanKernel>, FloatTypes()},
    {"", "Mean", 13, kLatestOpset, CreateKernel<MeanKernel>, FloatTypesBf16()},
    {"", "Min", 1, 5, CreateKernel<MinKernel>, FloatTypes()},
    {"", "Min", 6, 7, CreateKernel<MinKernel>, FloatTypes()},
    {"", "Min", 8, 11, CreateKernel<MinKernel>, FloatTypes()},
    {"", "Min", 12, 12, CreateKernel<MinKernel>, NumericTypes()},
    {"", "Min", 13, kLatestOpset, CreateKernel<MinKernel>, NumericTypesBf16()},
    {"", "Mod", 10, 12, Binary<ModOp>(), NumericTypes()},
    {"", "Mod", 13, kLatestOpset, Binary<ModOp>(), NumericTypesBf16()},
    {"", "Mul", 1, 5, Binary<MulOp>(), FloatTypes()},
    {"", "Mul", 6, 6, Binary<MulOp>(), ArithmeticTypes6()},
    {"", "Mul", 7, 12, Binary<MulOp>(), ArithmeticTypes6()},
    {"", "Mul", 13, 13, Binary<MulOp>(), ArithmeticTypes13()},
    {"", "Mul", 14, kLatestOpset, Binary<MulOp>(), NumericTypesBf16()},
    {"", "Or", 1, 6, Binary<OrOp>(), BoolTypes()},
    {"", "Or", 7, kLatestOpset, Binary<OrOp>(), BoolTypes()},
    {"", "Pow", 1, 6, CreateKernel<Pow>, FloatTypes()},
    {"", "Pow", 7, 11, CreateKernel<Pow>, FloatTypes()},
    {"", "Pow", 12, 12, CreateKernel<Pow>, PowBaseTypes12()},
    {"", "Pow", 13, 14, CreateKernel<Pow>, PowBaseTypes13()},
    {"", "Pow", 15, kLatestOpset, CreateKernel<Pow>, PowBaseTypes13()},
    {"", "Sub", 1, 5, Binary<SubOp>(), FloatTypes()},
    {"", "Sub", 6, 6, Binary<SubOp>(), ArithmeticTypes6()},
    {"", "Sub", 7, 12, Binary<SubOp>(), ArithmeticTypes6()},
    {"", "Sub", 13, 13, Binary<SubOp>(), ArithmeticTypes13()},
    {"", "Sub", 14, kLatestOpset, Binary<SubOp>(), NumericTypesBf16()},
    {"", "Sum", 1, 5, CreateKernel<SumKernel>, FloatTypes()},
    {"", "Sum", 6, 7, CreateKernel<SumKernel>, FloatTypes()},
    {"", "Sum", 8, 12, CreateKernel<SumKernel>, FloatTypes()},
    {"", "Sum", 13, kLatestOpset, CreateKernel<SumKernel>, FloatTypesBf16()},
    {"", "Where", 9, 15, Function<Where>(), BoolTypes()},
    {"", "Where", 16, kLatestOpset, Function<Where>(), BoolTypes()},
    {"", "Xor", 1, 6, Binary<XorOp>(), BoolTypes()},
    {"", "Xor", 7, kLatestOpset, Binary<XorOp>(), BoolTypes()},
};

}  // namespace

std::span<const KernelRegistration> BinaryElementwiseKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
