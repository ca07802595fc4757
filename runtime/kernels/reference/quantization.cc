// Quantization kernels: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger,
// QLinearMatMul, ConvInteger, QLinearConv.
//
// Quantization is y = saturate(round_half_even(x / scale) + zero_point); dequantization is
// y = (x - zero_point) * scale. Integer products accumulate in 64 bits and wrap to int32 (the spec
// allows the 32-bit accumulation to overflow). The integer convolution is a direct loop here: it
// does not depend on the float Conv kernel.
#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// ---------------------------------------------------------------------------------------------
// Shared helpers

// Round half to even, independent of the floating-point environment.
double RoundHalfEven(double value) {
  double floor = std::floor(value);
  double diff = value - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return std::fmod(floor, 2.0) == 0 ? floor : floor + 1;
}

// Saturates a rounded value into the range of the integer type Q (NaN becomes 0).
template <typename Q>
Q SaturateTo(double value) {
  if (std::isnan(value)) return Q(0);
  constexpr double lo = static_cast<double>(std::numeric_limits<Q>::min());
  constexpr double hi = static_cast<double>(std::numeric_limits<Q>::max());
  return static_cast<Q>(std::clamp(value, lo, hi));
}

bool IsScaleType(DataType type) {
  return type == DataType::kFloat || type == DataType::kFloat16 || type == DataType::kBfloat16;
}

// All elements of a float / float16 / bfloat16 tensor as float.
Result<std::vector<float>> ReadFloats(const Tensor& tensor, std::string_view what) {
  if (!IsScaleType(tensor.dtype()))
    return Status::Error("{} must be float, float16 or bfloat16, got {}", what, DataTypeName(tensor.dtype()));
  std::vector<float> values(static_cast<size_t>(tensor.elementCount()));
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<float>(tensor.elementAsDouble(static_cast<int64_t>(i)));
  return values;
}

// All elements of an 8/16/32-bit integer tensor as int32.
std::vector<int32_t> ReadInt32s(const Tensor& tensor) {
  std::vector<int32_t> values(static_cast<size_t>(tensor.elementCount()));
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<int32_t>(tensor.elementAsInt64(static_cast<int64_t>(i)));
  return values;
}

bool Is8Bit(DataType type) { return type == DataType::kInt8 || type == DataType::kUint8; }

Status Require8Bit(const Tensor& tensor, std::string_view what) {
  if (!Is8Bit(tensor.dtype()))
    return Status::Error("{} must be int8 or uint8, got {}", what, DataTypeName(tensor.dtype()));
  return Status::Ok();
}

// A zero point must have the type of the tensor it belongs to.
Status CheckZeroPointType(const Tensor* zero_point, DataType type, std::string_view what) {
  if (zero_point && zero_point->dtype() != type)
    return Status::Error("{} has type {}, expected {} like its tensor", what, DataTypeName(zero_point->dtype()),
                         DataTypeName(type));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// QuantizeLinear / DequantizeLinear: granularity of scale and zero point

// Maps each element of x to the index of its scale / zero point: per tensor, per axis (1-D scale
// along `axis`) or blocked (scale of x's rank, `block_size` elements of x per scale along `axis`).
class QuantGranularity {
 public:
  static Result<QuantGranularity> Make(const Tensor& x, const Tensor& scale, const Tensor* zero_point, int64_t axis,
                                       int64_t block_size, int64_t opset) {
    if (zero_point && zero_point->shape() != scale.shape())
      return Status::Error("zero point shape [{}] differs from scale shape [{}]", ShapeToString(zero_point->shape()),
                           ShapeToString(scale.shape()));
    QuantGranularity g;
    if (block_size < 0) return Status::Error("block_size must be non-negative, got {}", block_size);
    if (block_size == 0 && scale.elementCount() == 1 && scale.rank() <= 1) return g;  // per tensor
    if (opset < 13)
      return Status::Error("scale must be a scalar before opset 13, got shape [{}]", ShapeToString(scale.shape()));
    int64_t rank = static_cast<int64_t>(x.rank());
    ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, rank));
    size_t ua = static_cast<size_t>(a);
    g.extent_ = x.dim(ua);
    g.inner_ = ProductOf(x.shape(), ua + 1, x.rank());
    if (block_size == 0) {
      if (scale.rank() != 1 || scale.dim(0) != g.extent_)
        return Status::Error("per-axis scale must be 1-D of size {} (axis {} of x [{}]), got shape [{}]", g.extent_, a,
                             ShapeToString(x.shape()), ShapeToString(scale.shape()));
      g.mode_ = Mode::kAxis;
      return g;
    }
    if (opset < 21) return Status::Error("block_size needs opset 21, the model imports opset {}", opset);
    if (static_cast<int64_t>(scale.rank()) != rank)
      return Status::Error("blocked scale must have the rank of x [{}], got shape [{}]", ShapeToString(x.shape()),
                           ShapeToString(scale.shape()));
    for (size_t d = 0; d < x.rank(); ++d) {
      int64_t expected = d == ua ? (x.dim(d) + block_size - 1) / block_size : x.dim(d);
      if (scale.dim(d) != expected)
        return Status::Error("blocked scale has shape [{}], expected {} along axis {} for x [{}] and block_size {}",
                             ShapeToString(scale.shape()), expected, d, ShapeToString(x.shape()), block_size);
    }
    g.mode_ = Mode::kBlocked;
    g.block_ = block_size;
    g.blocks_ = scale.dim(ua);
    return g;
  }

  int64_t paramIndex(int64_t i) const {
    switch (mode_) {
      case Mode::kTensor: return 0;
      case Mode::kAxis: return (i / inner_) % extent_;
      case Mode::kBlocked: {
        int64_t inner_index = i % inner_;
        int64_t along = (i / inner_) % extent_;
        int64_t outer = i / (inner_ * extent_);
        return (outer * blocks_ + along / block_) * inner_ + inner_index;
      }
    }
    return 0;
  }

 private:
  enum class Mode { kTensor, kAxis, kBlocked };
  Mode mode_ = Mode::kTensor;
  int64_t extent_ = 1, inner_ = 1, block_ = 1, blocks_ = 1;
};

class QuantizeLinear : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    opset_ = info.opset;
    axis_ = info.node.getInt("axis", 1);
    if (opset_ >= 21) {
      block_size_ = info.node.getInt("block_size", 0);
      output_dtype_ = info.node.getInt("output_dtype", 0);
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    const Tensor* zero_point = context.input(2);
    bool half_inputs = opset_ >= 19;
    if (!(x->dtype() == DataType::kFloat || x->dtype() == DataType::kInt32 ||
          (half_inputs && (x->dtype() == DataType::kFloat16 || x->dtype() == DataType::kBfloat16))))
      return Status::Error("x has unsupported type {}", DataTypeName(x->dtype()));
    if (!(scale->dtype() == DataType::kFloat ||
          (half_inputs && (IsScaleType(scale->dtype()) || scale->dtype() == DataType::kInt32))))
      return Status::Error("y_scale has unsupported type {}", DataTypeName(scale->dtype()));

    // Output type: the zero point's, else output_dtype (opset 21), else uint8.
    DataType out_type = DataType::kUint8;
    if (zero_point) {
      out_type = zero_point->dtype();
      if (output_dtype_ != 0 && output_dtype_ != static_cast<int64_t>(out_type))
        return Status::Error("output_dtype {} differs from the zero point type {}", output_dtype_,
                             DataTypeName(out_type));
    } else if (output_dtype_ != 0) {
      if (!IsKnownDataType(static_cast<int32_t>(output_dtype_)))
        return Status::Error("output_dtype {} is not a known type", output_dtype_);
      out_type = static_cast<DataType>(output_dtype_);
    }
    bool wide = opset_ >= 21;
    if (!(Is8Bit(out_type) || (wide && (out_type == DataType::kInt16 || out_type == DataType::kUint16))))
      return Status::Error("quantizing to {} is not supported{}", DataTypeName(out_type),
                           wide ? "" : " before opset 21 (int8 and uint8 only)");

    ONNXKIT_ASSIGN_OR_RETURN(QuantGranularity granularity,
                             QuantGranularity::Make(*x, *scale, zero_point, axis_, block_size_, opset_));
    std::vector<double> scales(static_cast<size_t>(scale->elementCount()));
    for (size_t i = 0; i < scales.size(); ++i) scales[i] = scale->elementAsDouble(static_cast<int64_t>(i));
    std::vector<int32_t> zero_points = zero_point ? ReadInt32s(*zero_point) : std::vector<int32_t>(scales.size(), 0);
    for (double s : scales)
      if (s == 0) return Status::Error("y_scale must not be zero");

    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, out_type, x->shape()));
    const bool float_x = x->dtype() != DataType::kInt32;
    return DispatchAmong<DataType::kInt8, DataType::kUint8, DataType::kInt16, DataType::kUint16>(
        out_type, "QuantizeLinear", [&]<typename Q>() {
          Q* out = y->mutableData<Q>();
          for (int64_t i = 0; i < x->elementCount(); ++i) {
            size_t p = static_cast<size_t>(granularity.paramIndex(i));
            // Float inputs divide in single precision (as the reference does); int32 in double.
            double quotient = float_x ? static_cast<double>(static_cast<float>(x->elementAsDouble(i)) /
                                                            static_cast<float>(scales[p]))
                                      : x->elementAsDouble(i) / scales[p];
            out[i] = SaturateTo<Q>(RoundHalfEven(quotient) + zero_points[p]);
          }
          return Status::Ok();
        });
  }

 private:
  int64_t opset_ = 0;
  int64_t axis_ = 1;
  int64_t block_size_ = 0;
  int64_t output_dtype_ = 0;
};

class DequantizeLinear : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    opset_ = info.opset;
    axis_ = info.node.getInt("axis", 1);
    if (opset_ >= 21) block_size_ = info.node.getInt("block_size", 0);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    const Tensor* zero_point = context.input(2);
    DataType type = x->dtype();
    bool wide = opset_ >= 21;
    if (!(Is8Bit(type) || type == DataType::kInt32 ||
          (wide && (type == DataType::kInt16 || type == DataType::kUint16))))
      return Status::Error("x has unsupported type {}", DataTypeName(type));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(zero_point, type, "x_zero_point"));
    // The output has the scale's type (float only before opset 19).
    if (!(scale->dtype() == DataType::kFloat || (opset_ >= 19 && IsScaleType(scale->dtype()))))
      return Status::Error("x_scale has unsupported type {}", DataTypeName(scale->dtype()));
    ONNXKIT_ASSIGN_OR_RETURN(QuantGranularity granularity,
                             QuantGranularity::Make(*x, *scale, zero_point, axis_, block_size_, opset_));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<float> scales, ReadFloats(*scale, "x_scale"));
    std::vector<int32_t> zero_points = zero_point ? ReadInt32s(*zero_point) : std::vector<int32_t>(scales.size(), 0);
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, scale->dtype(), x->shape()));
    return DispatchFloat(scale->dtype(), "DequantizeLinear", [&]<typename T>() {
      T* out = y->mutableData<T>();
      for (int64_t i = 0; i < x->elementCount(); ++i) {
        size_t p = static_cast<size_t>(granularity.paramIndex(i));
        int64_t centered = x->elementAsInt64(i) - zero_points[p];
        out[i] = FromCompute<T>(static_cast<ComputeType<T>>(static_cast<float>(centered) * scales[p]));
      }
      return Status::Ok();
    });
  }

 private:
  int64_t opset_ = 0;
  int64_t axis_ = 1;
  int64_t block_size_ = 0;
};

// y_scale = (max(x, 0) - min(x, 0)) / 255, zero point = round(saturate(-min / scale)), uint8 only.
Status DynamicQuantizeLinear(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  if (x->dtype() != DataType::kFloat) return Status::Error("x must be float, got {}", DataTypeName(x->dtype()));
  const float* data = x->data<float>();
  float lo = 0, hi = 0;  // the range always includes 0; NaNs are ignored
  for (int64_t i = 0; i < x->elementCount(); ++i) {
    if (data[i] < lo) lo = data[i];
    if (data[i] > hi) hi = data[i];
  }
  constexpr float kQmin = 0, kQmax = 255;
  float scale = hi == lo ? 1.0f : (hi - lo) / (kQmax - kQmin);
  float initial_zero_point = kQmin - lo / scale;
  uint8_t zero_point = SaturateTo<uint8_t>(RoundHalfEven(std::clamp(initial_zero_point, kQmin, kQmax)));
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kUint8, x->shape()));
  uint8_t* out = y->mutableData<uint8_t>();
  for (int64_t i = 0; i < x->elementCount(); ++i)
    out[i] = SaturateTo<uint8_t>(RoundHalfEven(static_cast<double>(data[i] / scale)) + zero_point);
  if (context.outputCount() > 1) {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y_scale, context.allocateOutput(1, DataType::kFloat, {}));
    y_scale->mutableData<float>()[0] = scale;
  }
  if (context.outputCount() > 2) {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y_zero_point, context.allocateOutput(2, DataType::kUint8, {}));
    y_zero_point->mutableData<uint8_t>()[0] = zero_point;
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Integer matrix multiplication (numpy matmul semantics)

// `x` minus its zero point, as int32 over x's shape. The zero point is a scalar, or broadcasts to
// x's shape; for the left operand (`rows`), a 1-D zero point of x's row count is per row.
Result<std::vector<int32_t>> Centered(const Tensor& x, const Shape& x_shape, const Tensor* zero_point, bool rows,
                                      std::string_view what) {
  std::vector<int32_t> values = ReadInt32s(x);
  if (!zero_point) return values;
  std::vector<int32_t> zp = ReadInt32s(*zero_point);
  if (zp.size() == 1) {
    for (int32_t& v : values) v -= zp[0];
    return values;
  }
  Shape zp_shape = zero_point->shape();
  if (rows && zp_shape.size() == 1 && x_shape.size() >= 2 && zp_shape[0] == x_shape[x_shape.size() - 2])
    zp_shape = {zp_shape[0], 1};
  auto broadcast = BroadcastShapes(zp_shape, x_shape);
  if (!broadcast.ok() || *broadcast != x_shape)
    return Status::Error("{} of shape [{}] does not fit its tensor of shape [{}]", what,
                         ShapeToString(zero_point->shape()), ShapeToString(x.shape()));
  Shape shapes[] = {x_shape, zp_shape};
  BroadcastWalker(x_shape, shapes).forEach([&](int64_t i, std::span<const int64_t> offsets) {
    values[static_cast<size_t>(i)] -= zp[static_cast<size_t>(offsets[1])];
  });
  return values;
}

// The matmul geometry: operands promoted to rank >= 2, broadcast batch, and the output shapes.
struct MatMulShape {
  Shape a, b;          // operands, 1-D promoted to [1, K] / [K, 1]
  Shape full;          // [batch..., M, N]
  Shape out;           // as numpy returns it (promoted dims removed)
  int64_t m = 0, k = 0, n = 0;
};

Result<MatMulShape> MatMulShapes(const Shape& a, const Shape& b) {
  if (a.empty() || b.empty()) return Status::Error("matmul operands must not be scalars");
  MatMulShape s;
  s.a = a.size() == 1 ? Shape{1, a[0]} : a;
  s.b = b.size() == 1 ? Shape{b[0], 1} : b;
  s.m = s.a[s.a.size() - 2];
  s.k = s.a.back();
  s.n = s.b.back();
  if (s.b[s.b.size() - 2] != s.k)
    return Status::Error("matmul operands [{}] and [{}] have different inner dimensions", ShapeToString(a),
                         ShapeToString(b));
  Shape a_batch(s.a.begin(), s.a.end() - 2), b_batch(s.b.begin(), s.b.end() - 2);
  ONNXKIT_ASSIGN_OR_RETURN(Shape batch, BroadcastShapes(a_batch, b_batch));
  s.full = batch;
  s.full.push_back(s.m);
  s.full.push_back(s.n);
  s.out = batch;
  if (a.size() > 1) s.out.push_back(s.m);
  if (b.size() > 1) s.out.push_back(s.n);
  return s;
}

// C = A B over int32 values laid out as s.a and s.b; C has shape s.full.
void MatMulInt32(const MatMulShape& s, const std::vector<int32_t>& a, const std::vector<int32_t>& b, int32_t* c) {
  Shape batch(s.full.begin(), s.full.end() - 2);
  Shape a_batch(s.a.begin(), s.a.end() - 2), b_batch(s.b.begin(), s.b.end() - 2);
  int64_t batches = ProductOf(batch, 0, batch.size());
  std::vector<int64_t> a_index(static_cast<size_t>(batches)), b_index(static_cast<size_t>(batches));
  Shape shapes[] = {a_batch, b_batch};
  BroadcastWalker(batch, shapes).forEach([&](int64_t i, std::span<const int64_t> offsets) {
    a_index[static_cast<size_t>(i)] = offsets[0];
    b_index[static_cast<size_t>(i)] = offsets[1];
  });
  for (int64_t p = 0; p < batches; ++p) {
    const int32_t* ap = a.data() + a_index[static_cast<size_t>(p)] * s.m * s.k;
    const int32_t* bp = b.data() + b_index[static_cast<size_t>(p)] * s.k * s.n;
    int32_t* cp = c + p * s.m * s.n;
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        int64_t sum = 0;
        for (int64_t q = 0; q < s.k; ++q) sum += static_cast<int64_t>(ap[i * s.k + q]) * bp[q * s.n + j];
        cp[i * s.n + j] = static_cast<int32_t>(sum);  // wraps like a 32-bit accumulator
      }
  }
}

Status MatMulInteger(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b, context.requiredInput(1));
  const Tensor* a_zero_point = context.input(2);
  const Tensor* b_zero_point = context.input(3);
  ONNXKIT_RETURN_IF_ERROR(Require8Bit(*a, "A"));
  ONNXKIT_RETURN_IF_ERROR(Require8Bit(*b, "B"));
  ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(a_zero_point, a->dtype(), "a_zero_point"));
  ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(b_zero_point, b->dtype(), "b_zero_point"));
  ONNXKIT_ASSIGN_OR_RETURN(MatMulShape s, MatMulShapes(a->shape(), b->shape()));
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int32_t> av, Centered(*a, s.a, a_zero_point, true, "a_zero_point"));
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int32_t> bv, Centered(*b, s.b, b_zero_point, false, "b_zero_point"));
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kInt32, s.out));
  MatMulInt32(s, av, bv, y->mutableData<int32_t>());
  return Status::Ok();
}

// Requantizes int32 accumulators: y = saturate(round(acc * (in_scale * w_scale / y_scale)) + y_zp),
// the multiplier computed in float and the product in double.
template <typename Q>
Q Requantize(int64_t acc, float in_scale, float w_scale, float y_scale, int32_t y_zero_point) {
  float multiplier = in_scale * w_scale / y_scale;
  return SaturateTo<Q>(RoundHalfEven(static_cast<double>(acc) * static_cast<double>(multiplier)) + y_zero_point);
}

// Scale or zero point of QLinearMatMul's y / QLinearConv's x and y: one value.
Status RequireScalar(const Tensor& tensor, std::string_view what) {
  if (tensor.elementCount() != 1)
    return Status::Error("{} must be a scalar (per-tensor), got shape [{}]", what, ShapeToString(tensor.shape()));
  return Status::Ok();
}

class QLinearMatMul : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    opset_ = info.opset;
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* in[8];
    static constexpr std::string_view kNames[] = {"a", "a_scale", "a_zero_point", "b", "b_scale", "b_zero_point",
                                                  "y_scale", "y_zero_point"};
    for (size_t i = 0; i < 8; ++i) {
      ONNXKIT_ASSIGN_OR_RETURN(in[i], context.requiredInput(i));
    }
    const Tensor &a = *in[0], &a_scale = *in[1], &a_zp = *in[2], &b = *in[3], &b_scale = *in[4], &b_zp = *in[5],
                 &y_scale = *in[6], &y_zp = *in[7];
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(a, "a"));
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(b, "b"));
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(y_zp, "y_zero_point"));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(&a_zp, a.dtype(), "a_zero_point"));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(&b_zp, b.dtype(), "b_zero_point"));
    for (size_t i : {1, 4, 6}) {
      if (in[i]->dtype() != DataType::kFloat && !(opset_ >= 21 && IsScaleType(in[i]->dtype())))
        return Status::Error("{} has unsupported type {}", kNames[i], DataTypeName(in[i]->dtype()));
    }
    ONNXKIT_RETURN_IF_ERROR(RequireScalar(y_scale, "y_scale"));
    ONNXKIT_RETURN_IF_ERROR(RequireScalar(y_zp, "y_zero_point"));
    if (a_zp.shape() != a_scale.shape() || b_zp.shape() != b_scale.shape())
      return Status::Error("each scale and zero point must have the same shape");

    ONNXKIT_ASSIGN_OR_RETURN(MatMulShape s, MatMulShapes(a.shape(), b.shape()));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int32_t> av, Centered(a, s.a, &a_zp, true, "a_zero_point"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int32_t> bv, Centered(b, s.b, &b_zp, false, "b_zero_point"));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor accumulators, Tensor::Allocate(DataType::kInt32, s.full));
    MatMulInt32(s, av, bv, accumulators.mutableData<int32_t>());
    const int32_t* c = accumulators.data<int32_t>();

    // Scales: a's per row ([M] or [..., M, 1]), b's per column ([N] or [..., 1, N]).
    Shape a_scale_shape = a_scale.shape();
    if (a_scale.elementCount() == 1) a_scale_shape = {};
    else if (a_scale_shape.size() == 1 && a_scale_shape[0] == s.m) a_scale_shape = {s.m, 1};
    Shape b_scale_shape = b_scale.elementCount() == 1 ? Shape{} : b_scale.shape();
    for (const auto& [shape, name] : {std::pair{a_scale_shape, "a_scale"}, std::pair{b_scale_shape, "b_scale"}}) {
      auto broadcast = BroadcastShapes(shape, s.full);
      if (!broadcast.ok() || *broadcast != s.full)
        return Status::Error("{} of shape [{}] does not fit the product [{}]", name, ShapeToString(shape),
                             ShapeToString(s.full));
    }
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<float> as, ReadFloats(a_scale, "a_scale"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<float> bs, ReadFloats(b_scale, "b_scale"));
    float ys = static_cast<float>(y_scale.elementAsDouble(0));
    if (ys == 0) return Status::Error("y_scale must not be zero");
    int32_t yzp = static_cast<int32_t>(y_zp.elementAsInt64(0));

    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, y_zp.dtype(), s.out));
    Shape shapes[] = {a_scale_shape, b_scale_shape};
    BroadcastWalker walker(s.full, shapes);
    return DispatchAmong<DataType::kInt8, DataType::kUint8>(y_zp.dtype(), "QLinearMatMul", [&]<typename Q>() {
      Q* out = y->mutableData<Q>();
      walker.forEach([&](int64_t i, std::span<const int64_t> offsets) {
        out[i] = Requantize<Q>(c[i], as[static_cast<size_t>(offsets[0])],
                               bs[static_cast<size_t>(offsets[1])], ys, yzp);
      });
      return Status::Ok();
    });
  }

 private:
  int64_t opset_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Integer convolution (ConvInteger, QLinearConv)

struct ConvAttributes {
  std::string auto_pad = "NOTSET";
  std::vector<int64_t> kernel_shape, strides, dilations, pads;
  int64_t group = 1;

  static Result<ConvAttributes> Read(const Node& node) {
    ConvAttributes a;
    a.auto_pad = node.getString("auto_pad", "NOTSET");
    if (a.auto_pad != "NOTSET" && a.auto_pad != "SAME_UPPER" && a.auto_pad != "SAME_LOWER" && a.auto_pad != "VALID")
      return Status::Error("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '{}'", a.auto_pad);
    a.kernel_shape = node.getInts("kernel_shape").value_or(std::vector<int64_t>{});
    a.strides = node.getInts("strides").value_or(std::vector<int64_t>{});
    a.dilations = node.getInts("dilations").value_or(std::vector<int64_t>{});
    a.pads = node.getInts("pads").value_or(std::vector<int64_t>{});
    a.group = node.getInt("group", 1);
    if (a.group <= 0) return Status::Error("group must be positive, got {}", a.group);
    return a;
  }
};

// Everything the direct convolution loop needs, validated against the input shapes.
struct ConvGeometry {
  int64_t batch = 0, in_channels = 0, out_channels = 0, group = 1;
  Shape in_spatial, kernel, out_spatial, strides, dilations, pads_begin;
  Shape out_shape;
};

Result<ConvGeometry> MakeConvGeometry(const ConvAttributes& attrs, const Shape& x, const Shape& w) {
  if (x.size() < 3) return Status::Error("x must have rank 3 or more (N, C, spatial...), got [{}]", ShapeToString(x));
  if (w.size() != x.size())
    return Status::Error("w must have the rank of x [{}], got [{}]", ShapeToString(x), ShapeToString(w));
  size_t spatial = x.size() - 2;
  ConvGeometry g;
  g.batch = x[0];
  g.in_channels = x[1];
  g.out_channels = w[0];
  g.group = attrs.group;
  if (g.in_channels % g.group != 0 || g.out_channels % g.group != 0)
    return Status::Error("channels (input {}, output {}) must be divisible by group {}", g.in_channels, g.out_channels,
                         g.group);
  if (w[1] != g.in_channels / g.group)
    return Status::Error("w has {} input channels per group, expected {} (x [{}], group {})", w[1],
                         g.in_channels / g.group, ShapeToString(x), g.group);
  g.in_spatial.assign(x.begin() + 2, x.end());
  g.kernel.assign(w.begin() + 2, w.end());
  if (!attrs.kernel_shape.empty() && attrs.kernel_shape != g.kernel)
    return Status::Error("kernel_shape [{}] differs from the weight's [{}]", ShapeToString(attrs.kernel_shape),
                         ShapeToString(g.kernel));
  g.strides = attrs.strides.empty() ? Shape(spatial, 1) : attrs.strides;
  g.dilations = attrs.dilations.empty() ? Shape(spatial, 1) : attrs.dilations;
  if (g.strides.size() != spatial || g.dilations.size() != spatial)
    return Status::Error("strides and dilations must have {} values", spatial);
  constexpr int64_t kLarge = int64_t{1} << 32;  // keeps the size arithmetic far from overflow
  for (size_t d = 0; d < spatial; ++d) {
    if (g.strides[d] <= 0 || g.dilations[d] <= 0) return Status::Error("strides and dilations must be positive");
    if (g.strides[d] > kLarge || g.dilations[d] > kLarge) return Status::Error("strides and dilations are too large");
    if (g.kernel[d] <= 0) return Status::Error("kernel dimensions must be positive, got [{}]", ShapeToString(g.kernel));
  }
  Shape pads = attrs.pads.empty() ? Shape(2 * spatial, 0) : attrs.pads;
  if (pads.size() != 2 * spatial) return Status::Error("pads must have {} values, got {}", 2 * spatial, pads.size());
  for (int64_t p : pads)
    if (p < 0 || p > kLarge) return Status::Error("pads must be in [0, {}], got {}", kLarge, p);
  g.pads_begin.resize(spatial);
  g.out_spatial.resize(spatial);
  for (size_t d = 0; d < spatial; ++d) {
    int64_t in = g.in_spatial[d];
    int64_t extent = (g.kernel[d] - 1) * g.dilations[d] + 1;
    int64_t out = 0;
    int64_t begin = 0;
    if (attrs.auto_pad == "SAME_UPPER" || attrs.auto_pad == "SAME_LOWER") {
      out = (in + g.strides[d] - 1) / g.strides[d];
      int64_t total = std::max<int64_t>(0, (out - 1) * g.strides[d] + extent - in);
      begin = attrs.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
    } else if (attrs.auto_pad == "VALID") {
      out = in >= extent ? (in - extent) / g.strides[d] + 1 : 0;
    } else {
      begin = pads[d];
      int64_t padded = in + pads[d] + pads[d + spatial];
      out = padded >= extent ? (padded - extent) / g.strides[d] + 1 : 0;
    }
    g.pads_begin[d] = begin;
    g.out_spatial[d] = out;
  }
  g.out_shape = {g.batch, g.out_channels};
  g.out_shape.insert(g.out_shape.end(), g.out_spatial.begin(), g.out_spatial.end());
  return g;
}

// Per-output-channel values: one value for all, or one per channel.
Result<std::vector<int32_t>> PerChannelZeroPoints(const Tensor* zero_point, int64_t channels, std::string_view what) {
  if (!zero_point) return std::vector<int32_t>(static_cast<size_t>(channels), 0);
  std::vector<int32_t> values = ReadInt32s(*zero_point);
  if (values.size() == 1) return std::vector<int32_t>(static_cast<size_t>(channels), values[0]);
  if (zero_point->rank() != 1 || zero_point->dim(0) != channels)
    return Status::Error("{} must be a scalar or have {} values (one per output channel), got shape [{}]", what,
                         channels, ShapeToString(zero_point->shape()));
  return values;
}

// int32 convolution of x (already centered) with w (already centered), plus an optional bias,
// into y of shape g.out_shape.
void ConvInt32(const ConvGeometry& g, const std::vector<int32_t>& x, const std::vector<int32_t>& w,
               const std::vector<int32_t>* bias, int32_t* y) {
  const size_t spatial = g.in_spatial.size();
  const int64_t in_size = ProductOf(g.in_spatial, 0, spatial);
  const int64_t out_size = ProductOf(g.out_spatial, 0, spatial);
  const int64_t kernel_size = ProductOf(g.kernel, 0, spatial);
  const int64_t channels_per_group = g.in_channels / g.group;
  const int64_t outputs_per_group = g.out_channels / g.group;
  std::vector<int64_t> in_strides = Strides(g.in_spatial);
  std::vector<int64_t> out_pos(spatial), kernel_pos(spatial);
  for (int64_t n = 0; n < g.batch; ++n) {
    for (int64_t m = 0; m < g.out_channels; ++m) {
      const int64_t group = m / outputs_per_group;
      int32_t* yp = y + (n * g.out_channels + m) * out_size;
      std::fill(out_pos.begin(), out_pos.end(), 0);
      for (int64_t o = 0; o < out_size; ++o) {
        int64_t acc = bias ? (*bias)[static_cast<size_t>(m)] : 0;
        for (int64_t c = 0; c < channels_per_group; ++c) {
          const int32_t* xp = x.data() + (n * g.in_channels + group * channels_per_group + c) * in_size;
          const int32_t* wp = w.data() + (m * channels_per_group + c) * kernel_size;
          std::fill(kernel_pos.begin(), kernel_pos.end(), 0);
          for (int64_t k = 0; k < kernel_size; ++k) {
            int64_t offset = 0;
            bool inside = true;
            for (size_t d = 0; d < spatial; ++d) {
              int64_t pos = out_pos[d] * g.strides[d] - g.pads_begin[d] + kernel_pos[d] * g.dilations[d];
              if (pos < 0 || pos >= g.in_spatial[d]) {
                inside = false;
                break;
              }
              offset += pos * in_strides[d];
            }
            if (inside) acc += static_cast<int64_t>(xp[offset]) * wp[k];
            for (size_t d = spatial; d-- > 0;) {
              if (++kernel_pos[d] < g.kernel[d]) break;
              kernel_pos[d] = 0;
            }
          }
        }
        yp[o] = static_cast<int32_t>(acc);  // wraps like a 32-bit accumulator
        for (size_t d = spatial; d-- > 0;) {
          if (++out_pos[d] < g.out_spatial[d]) break;
          out_pos[d] = 0;
        }
      }
    }
  }
}

// x minus its (scalar) zero point; w minus its per-channel zero points.
Result<std::pair<std::vector<int32_t>, std::vector<int32_t>>> CenteredConvOperands(const Tensor& x, const Tensor* x_zp,
                                                                                 const Tensor& w, const Tensor* w_zp,
                                                                                 const ConvGeometry& g) {
  std::vector<int32_t> xv = ReadInt32s(x);
  if (x_zp) {
    ONNXKIT_RETURN_IF_ERROR(RequireScalar(*x_zp, "x_zero_point"));
    int32_t zp = static_cast<int32_t>(x_zp->elementAsInt64(0));
    for (int32_t& v : xv) v -= zp;
  }
  std::vector<int32_t> wv = ReadInt32s(w);
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<int32_t> w_zero, PerChannelZeroPoints(w_zp, g.out_channels, "w_zero_point"));
  int64_t per_channel = g.out_channels > 0 ? w.elementCount() / g.out_channels : 0;
  for (int64_t m = 0; m < g.out_channels; ++m)
    for (int64_t i = 0; i < per_channel; ++i)
      wv[static_cast<size_t>(m * per_channel + i)] -= w_zero[static_cast<size_t>(m)];
  return std::pair{std::move(xv), std::move(wv)};
}

class ConvInteger : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(attrs_, ConvAttributes::Read(info.node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* w, context.requiredInput(1));
    const Tensor* x_zp = context.input(2);
    const Tensor* w_zp = context.input(3);
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(*x, "x"));
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(*w, "w"));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(x_zp, x->dtype(), "x_zero_point"));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(w_zp, w->dtype(), "w_zero_point"));
    ONNXKIT_ASSIGN_OR_RETURN(ConvGeometry g, MakeConvGeometry(attrs_, x->shape(), w->shape()));
    ONNXKIT_ASSIGN_OR_RETURN(auto operands, CenteredConvOperands(*x, x_zp, *w, w_zp, g));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kInt32, g.out_shape));
    ConvInt32(g, operands.first, operands.second, nullptr, y->mutableData<int32_t>());
    return Status::Ok();
  }

 private:
  ConvAttributes attrs_;
};

class QLinearConv : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(attrs_, ConvAttributes::Read(info.node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* in[8];
    for (size_t i = 0; i < 8; ++i) {
      ONNXKIT_ASSIGN_OR_RETURN(in[i], context.requiredInput(i));
    }
    const Tensor &x = *in[0], &x_scale = *in[1], &x_zp = *in[2], &w = *in[3], &w_scale = *in[4], &w_zp = *in[5],
                 &y_scale = *in[6], &y_zp = *in[7];
    const Tensor* bias = context.input(8);
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(x, "x"));
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(w, "w"));
    ONNXKIT_RETURN_IF_ERROR(Require8Bit(y_zp, "y_zero_point"));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(&x_zp, x.dtype(), "x_zero_point"));
    ONNXKIT_RETURN_IF_ERROR(CheckZeroPointType(&w_zp, w.dtype(), "w_zero_point"));
    ONNXKIT_RETURN_IF_ERROR(RequireScalar(x_scale, "x_scale"));
    ONNXKIT_RETURN_IF_ERROR(RequireScalar(y_scale, "y_scale"));
    ONNXKIT_RETURN_IF_ERROR(RequireScalar(y_zp, "y_zero_point"));
    for (const Tensor* scale : {&x_scale, &w_scale, &y_scale})
      if (scale->dtype() != DataType::kFloat)
        return Status::Error("scales must be float, got {}", DataTypeName(scale->dtype()));
    ONNXKIT_ASSIGN_OR_RETURN(ConvGeometry g, MakeConvGeometry(attrs_, x.shape(), w.shape()));
    ONNXKIT_ASSIGN_OR_RETURN(auto operands, CenteredConvOperands(x, &x_zp, w, &w_zp, g));

    std::vector<float> w_scales(static_cast<size_t>(g.out_channels));
    if (w_scale.elementCount() == 1) {
      std::fill(w_scales.begin(), w_scales.end(), w_scale.data<float>()[0]);
    } else if (w_scale.rank() == 1 && w_scale.dim(0) == g.out_channels) {
      std::copy_n(w_scale.data<float>(), g.out_channels, w_scales.begin());
    } else {
      return Status::Error("w_scale must be a scalar or have {} values (one per output channel), got shape [{}]",
                           g.out_channels, ShapeToString(w_scale.shape()));
    }
    std::vector<int32_t> bias_values;
    if (bias) {
      if (bias->dtype() != DataType::kInt32)
        return Status::Error("B must be int32, got {}", DataTypeName(bias->dtype()));
      if (bias->shape() != Shape{g.out_channels})
        return Status::Error("B has shape [{}], expected [{}]", ShapeToString(bias->shape()), g.out_channels);
      bias_values.assign(bias->data<int32_t>(), bias->data<int32_t>() + g.out_channels);
    }
    float xs = x_scale.data<float>()[0];
    float ys = y_scale.data<float>()[0];
    if (ys == 0) return Status::Error("y_scale must not be zero");
    int32_t yzp = static_cast<int32_t>(y_zp.elementAsInt64(0));

    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, y_zp.dtype(), g.out_shape));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor accumulators, Tensor::Allocate(DataType::kInt32, g.out_shape));
    ConvInt32(g, operands.first, operands.second, bias ? &bias_values : nullptr, accumulators.mutableData<int32_t>());
    const int32_t* acc = accumulators.data<int32_t>();
    const int64_t count = accumulators.elementCount();
    int64_t per_channel = ProductOf(g.out_spatial, 0, g.out_spatial.size());
    return DispatchAmong<DataType::kInt8, DataType::kUint8>(y_zp.dtype(), "QLinearConv", [&]<typename Q>() {
      Q* out = y->mutableData<Q>();
      for (int64_t i = 0; i < count; ++i) {
        int64_t m = (i / std::max<int64_t>(per_channel, 1)) % g.out_channels;
        out[i] = Requantize<Q>(acc[i], xs, w_scales[static_cast<size_t>(m)], ys, yzp);
      }
      return Status::Ok();
    });
  }

 private:
  ConvAttributes attrs_;
};

// Versions: Quantize/DequantizeLinear-13 add per-axis, 19 float16/bfloat16 scales (and float8,
// not supported here), 21 int16/uint16 and blocked quantization; QLinearMatMul-21 adds 16-bit float
// scales. The others are unchanged since their first version.
const KernelRegistration kKernels[] = {
    {"", "ConvInteger", 10, kLatestOpset, CreateKernel<ConvInteger>},
    {"", "DequantizeLinear", 10, 12, CreateKernel<DequantizeLinear>},
    {"", "DequantizeLinear", 13, 18, CreateKernel<DequantizeLinear>},
    {"", "DequantizeLinear", 19, 20, CreateKernel<DequantizeLinear>},
    {"", "DequantizeLinear", 21, kLatestOpset, CreateKernel<DequantizeLinear>},
    {"", "DynamicQuantizeLinear", 11, kLatestOpset, Function<DynamicQuantizeLinear>()},
    {"", "MatMulInteger", 10, kLatestOpset, Function<MatMulInteger>()},
    {"", "QLinearConv", 10, kLatestOpset, CreateKernel<QLinearConv>},
    {"", "QLinearMatMul", 10, 20, CreateKernel<QLinearMatMul>},
    {"", "QLinearMatMul", 21, kLatestOpset, CreateKernel<QLinearMatMul>},
    {"", "QuantizeLinear", 10, 12, CreateKernel<QuantizeLinear>},
    {"", "QuantizeLinear", 13, 18, CreateKernel<QuantizeLinear>},
    {"", "QuantizeLinear", 19, 20, CreateKernel<QuantizeLinear>},
    {"", "QuantizeLinear", 21, kLatestOpset, CreateKernel<QuantizeLinear>},
};

}  // namespace

std::span<const KernelRegistration> QuantizationKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
