// ONNX Runtime contrib ops (domain com.microsoft) emitted by the fuse-ort passes: FusedConv,
// FusedGemm, FusedMatMul, Gelu, BiasGelu, FastGelu, QuickGelu, SkipLayerNormalization; and
// LayerNormalization below opset 17 (ONNX Runtime registers its own in the default domain from
// version 1, with the semantics ONNX gave it in opset 17).
//
// Semantics follow ONNX Runtime's schemas and CPU kernels (contrib_defs.cc, bert_defs.cc,
// fused_activation.cc, fused_gemm.cc, skip_layer_norm.cc); arithmetic follows this runtime's
// reference kernels: sums and transcendental functions in double, rounded once to the element
// type.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <vector>

#include "runtime/dispatch.h"
#include "runtime/kernels/contrib/fused_activation.h"
#include "runtime/kernels/conv_geometry.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

constexpr std::string_view kMicrosoft = "com.microsoft";

template <typename T>
double AsDouble(T value) {
  return static_cast<double>(ToCompute(value));
}

template <typename T>
T FromDouble(double value) {
  return FromCompute<T>(static_cast<ComputeType<T>>(value));
}

bool Wants(const KernelContext& context, size_t output) {
  return output < context.outputCount() && context.outputRequested(output);
}

Status RequireFloat(const Tensor& tensor, std::string_view what) {
  if (!IsFloatingPoint(tensor.dtype()))
    return Status::Error("{} must be a floating-point tensor, got {}", what, DescribeTensor(tensor));
  return Status::Ok();
}

Status RequireSameType(const Tensor& a, std::string_view a_name, const Tensor& b, std::string_view b_name) {
  if (a.dtype() != b.dtype())
    return Status::Error("{} ({}) and {} ({}) must have the same type", a_name, DataTypeName(a.dtype()), b_name,
                         DataTypeName(b.dtype()));
  return Status::Ok();
}

// A 1-D tensor of `length` elements (bias, gamma, beta vectors of the BERT ops).
Status RequireVector(const Tensor& tensor, std::string_view what, int64_t length) {
  if (tensor.rank() != 1 || tensor.dim(0) != length)
    return Status::Error("{} must have shape [{}] (the input's last dimension), got [{}]", what, length,
                         ShapeToString(tensor.shape()));
  return Status::Ok();
}

// Reads a floating-point tensor as doubles.
template <typename T>
std::vector<double> ToDoubles(const Tensor& tensor) {
  std::vector<double> values(static_cast<size_t>(tensor.elementCount()));
  const T* data = tensor.data<T>();
  for (size_t i = 0; i < values.size(); ++i) values[i] = AsDouble(data[i]);
  return values;
}


// ---------------------------------------------------------------------------------------------
// FusedConv: Y = activation(Conv(X, W, B) + Z), Conv's attributes and geometry. Z (optional)
// has Y's shape.
//
// Output position o of a spatial axis reads input position o * stride - pad_begin + t * dilation
// for kernel tap t. For each tap, the output positions whose input position is inside the input
// form a range per axis, so the inner loop runs without bounds checks. Sums accumulate in double.
class FusedConv : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(attributes_, ConvAttributes::Read(info.node));
    ONNXKIT_ASSIGN_OR_RETURN(activation_, ReadConvActivation(info.node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* w, context.requiredInput(1));
    const Tensor* b = context.input(2);
    const Tensor* z = context.input(3);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "X"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *w, "W"));
    if (b) ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *b, "B"));
    if (z) ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *z, "Z"));
    ONNXKIT_ASSIGN_OR_RETURN(ConvGeometry geometry, ResolveConvGeometry(attributes_, x->shape(), w->shape()));
    if (b && (b->rank() != 1 || b->dim(0) != geometry.out_channels))
      return Status::Error("B must have shape [{}], got [{}]", geometry.out_channels, ShapeToString(b->shape()));
    Shape y_shape = geometry.outputShape();
    if (z && z->shape() != y_shape)
      return Status::Error("Z has shape [{}] but the output has shape [{}]", ShapeToString(z->shape()),
                           ShapeToString(y_shape));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), y_shape));
    return DispatchFloat(x->dtype(), "FusedConv", [&]<typename T>() -> Status {
      Compute<T>(*x, *w, b, z, geometry, *y);
      return Status::Ok();
    });
  }

 private:
  // For kernel tap t on axis i: the output positions [lo, hi) reading inside the input.
  static std::pair<int64_t, int64_t> OutputRange(const ConvGeometry& g, size_t i, int64_t t) {
    int64_t offset = t * g.dilation[i] - g.pad_begin[i];  // input = o * stride + offset
    int64_t s = g.stride[i];
    int64_t lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
    int64_t last = g.in[i] - 1 - offset;  // o * s <= last
    int64_t hi = last < 0 ? 0 : std::min(g.out[i], last / s + 1);
    return {lo, std::max(lo, hi)};
  }

  template <typename T>
  void Compute(const Tensor& x, const Tensor& w, const Tensor* b, const Tensor* z, const ConvGeometry& g,
               Tensor& y) const {
    size_t r = g.in.size();
    int64_t batch = x.dim(0), channels = x.dim(1), out_channels = w.dim(0);
    int64_t group_in = channels / g.group, group_out = out_channels / g.group;
    int64_t in_size = ProductOf(g.in, 0, r), out_size = ProductOf(g.out, 0, r);
    int64_t kernel_size = ProductOf(g.kernel, 0, r);
    std::vector<int64_t> in_strides = Strides(g.in), out_strides = Strides(g.out);
    const T* px = x.data<T>();
    const T* pw = w.data<T>();
    const T* pb = b ? b->data<T>() : nullptr;
    const T* pz = z ? z->data<T>() : nullptr;
    T* py = y.mutableData<T>();
    if (y.elementCount() == 0) return;

    // Per tap: the output range and the input offset on every axis.
    struct Tap {
      std::vector<std::pair<int64_t, int64_t>> range;
      std::vector<int64_t> offset;
      bool empty = false;
    };
    std::vector<Tap> taps(static_cast<size_t>(kernel_size));
    std::vector<int64_t> kernel_strides = Strides(g.kernel);
    for (int64_t f = 0; f < kernel_size; ++f) {
      Tap& tap = taps[static_cast<size_t>(f)];
      for (size_t i = 0; i < r; ++i) {
        int64_t t = (f / kernel_strides[i]) % g.kernel[i];
        tap.range.push_back(OutputRange(g, i, t));
        tap.offset.push_back(t * g.dilation[i] - g.pad_begin[i]);
        tap.empty = tap.empty || tap.range.back().first >= tap.range.back().second;
      }
    }

    std::vector<double> acc(static_cast<size_t>(out_size));
    std::vector<int64_t> index(r);
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t m = 0; m < out_channels; ++m) {
        int64_t group = m / group_out;
        std::fill(acc.begin(), acc.end(), pb ? AsDouble(pb[m]) : 0.0);
        for (int64_t c = 0; c < group_in; ++c) {
          const T* plane = px + (n * channels + group * group_in + c) * in_size;
          const T* filter = pw + (m * group_in + c) * kernel_size;
          for (int64_t f = 0; f < kernel_size; ++f) {
            const Tap& tap = taps[static_cast<size_t>(f)];
            if (tap.empty) continue;
            double weight = AsDouble(filter[f]);
            // Walk the box of output positions of this tap; the last axis is the inner loop.
            for (size_t i = 0; i < r; ++i) index[i] = tap.range[i].first;
            auto [lo, hi] = tap.range[r - 1];
            int64_t s = g.stride[r - 1];
            for (;;) {
              int64_t out_row = 0, in_row = 0;
              for (size_t i = 0; i + 1 < r; ++i) {
                out_row += index[i] * out_strides[i];
                in_row += (index[i] * g.stride[i] + tap.offset[i]) * in_strides[i];
              }
              const T* source = plane + in_row + tap.offset[r - 1];
              double* target = acc.data() + out_row;
              for (int64_t o = lo; o < hi; ++o) target[o] += weight * AsDouble(source[o * s]);
              size_t i = r - 1;
              while (i-- > 0) {
                if (++index[i] < tap.range[i].second) break;
                index[i] = tap.range[i].first;
              }
              if (i == static_cast<size_t>(-1)) break;
            }
          }
        }
        int64_t base = (n * out_channels + m) * out_size;
        for (int64_t k = 0; k < out_size; ++k) {
          double v = acc[static_cast<size_t>(k)];
          if (pz) v += AsDouble(pz[base + k]);
          py[base + k] = FromDouble<T>(activation_(v));
        }
      }
    }
  }

  ConvAttributes attributes_;
  Activation activation_;
};

// ---------------------------------------------------------------------------------------------
// FusedGemm: Y = activation(alpha * op(A) * op(B) + beta * C), Gemm's semantics (C optional,
// broadcast unidirectionally to [M, N]).
class FusedGemm : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    trans_a_ = node.getInt("transA", 0);
    trans_b_ = node.getInt("transB", 0);
    if ((trans_a_ != 0 && trans_a_ != 1) || (trans_b_ != 0 && trans_b_ != 1))
      return Status::Error("transA and transB must be 0 or 1, got {} and {}", trans_a_, trans_b_);
    alpha_ = node.getFloat("alpha", 1.0f);
    beta_ = node.getFloat("beta", 1.0f);
    ONNXKIT_ASSIGN_OR_RETURN(activation_, ReadGemmActivation(node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b, context.requiredInput(1));
    const Tensor* c = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*a, "A"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*a, "A", *b, "B"));
    if (c) ONNXKIT_RETURN_IF_ERROR(RequireSameType(*a, "A", *c, "C"));
    if (a->rank() != 2 || b->rank() != 2)
      return Status::Error("A and B must be 2-D, got [{}] and [{}]", ShapeToString(a->shape()),
                           ShapeToString(b->shape()));
    int64_t M = trans_a_ ? a->dim(1) : a->dim(0), K = trans_a_ ? a->dim(0) : a->dim(1);
    int64_t KB = trans_b_ ? b->dim(1) : b->dim(0), N = trans_b_ ? b->dim(0) : b->dim(1);
    if (K != KB)
      return Status::Error("inner dimensions differ: op(A) is {}x{} and op(B) is {}x{}", M, K, KB, N);
    int64_t c_row = 0, c_col = 0;
    if (c) {
      const Shape& cs = c->shape();
      int64_t rows = cs.size() == 2 ? cs[0] : 1, cols = cs.empty() ? 1 : cs.back();
      if (cs.size() > 2 || (rows != 1 && rows != M) || (cols != 1 && cols != N))
        return Status::Error("C of shape [{}] cannot be broadcast to [{}, {}]", ShapeToString(cs), M, N);
      c_row = rows == 1 ? 0 : cols;
      c_col = cols == 1 ? 0 : 1;
    }
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, a->dtype(), {M, N}));
    return DispatchFloat(a->dtype(), "FusedGemm", [&]<typename T>() -> Status {
      const T* pa = a->data<T>();
      const T* pb = b->data<T>();
      const T* pc = c ? c->data<T>() : nullptr;
      T* py = y->mutableData<T>();
      int64_t a_row = trans_a_ ? 1 : K, a_col = trans_a_ ? M : 1;
      int64_t b_row = trans_b_ ? 1 : N, b_col = trans_b_ ? K : 1;
      std::vector<double> acc(static_cast<size_t>(N));
      for (int64_t i = 0; i < M; ++i) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int64_t k = 0; k < K; ++k) {
          double a_ik = AsDouble(pa[i * a_row + k * a_col]);
          for (int64_t j = 0; j < N; ++j) acc[static_cast<size_t>(j)] += a_ik * AsDouble(pb[k * b_row + j * b_col]);
        }
        for (int64_t j = 0; j < N; ++j) {
          double v = static_cast<double>(alpha_) * acc[static_cast<size_t>(j)];
          if (pc && beta_ != 0.0f) v += static_cast<double>(beta_) * AsDouble(pc[i * c_row + j * c_col]);
          py[i * N + j] = FromDouble<T>(activation_(v));
        }
      }
      return Status::Ok();
    });
  }

 private:
  int64_t trans_a_ = 0, trans_b_ = 0;
  float alpha_ = 1.0f, beta_ = 1.0f;
  Activation activation_;
};

// ---------------------------------------------------------------------------------------------
// FusedMatMul: Y = alpha * op(A) x op(B) with MatMul's broadcasting. transA/transB swap the last
// two axes of a matrix operand (a 1-D operand is promoted as MatMul does and never transposed);
// transBatchA/transBatchB move the first axis of an operand of rank >= 3 to just before its last
// axis (permutation [1, ..., R-2, 0, R-1]) before that. Each operand is read in place through
// strides.
class FusedMatMul : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    alpha_ = node.getFloat("alpha", 1.0f);
    trans_[0] = node.getInt("transA", 0) != 0;
    trans_[1] = node.getInt("transB", 0) != 0;
    trans_batch_[0] = node.getInt("transBatchA", 0) != 0;
    trans_batch_[1] = node.getInt("transBatchB", 0) != 0;
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b, context.requiredInput(1));
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*a, "A"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*a, "A", *b, "B"));
    ONNXKIT_ASSIGN_OR_RETURN(Operand left, View(*a, 0));
    ONNXKIT_ASSIGN_OR_RETURN(Operand right, View(*b, 1));
    if (left.cols != right.rows)
      return Status::Error("inner dimensions differ: A [{}] and B [{}] (transA={}, transB={})",
                           ShapeToString(a->shape()), ShapeToString(b->shape()), trans_[0], trans_[1]);
    auto batch_or = BroadcastShapes(left.batch, right.batch);
    if (!batch_or.ok())
      return Status::Error("the batch dimensions of A [{}] and B [{}] do not broadcast", ShapeToString(a->shape()),
                           ShapeToString(b->shape()));
    Shape batch = std::move(batch_or).value();
    Shape out_shape = batch;
    if (!left.vector) out_shape.push_back(left.rows);
    if (!right.vector) out_shape.push_back(right.cols);
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, a->dtype(), out_shape));
    return DispatchFloat(a->dtype(), "FusedMatMul", [&]<typename T>() -> Status {
      Compute<T>(*a, left, *b, right, batch, *y);
      return Status::Ok();
    });
  }

 private:
  // An operand as a batch of rows x cols matrices read through strides.
  struct Operand {
    Shape batch;
    std::vector<int64_t> batch_strides;
    int64_t rows = 0, cols = 0, row_stride = 0, col_stride = 0;
    bool vector = false;
  };

  Result<Operand> View(const Tensor& t, size_t which) const {
    Operand op;
    const Shape& s = t.shape();
    size_t rank = s.size();
    if (rank == 0) return Status::Error("FusedMatMul inputs must have rank >= 1, got a scalar");
    std::vector<int64_t> strides = Strides(s);
    if (rank == 1) {  // [K] is [1, K] as A and [K, 1] as B
      op.vector = true;
      if (trans_batch_[which]) return Status::Error("transBatch needs an operand of rank >= 3, got rank 1");
      if (which == 0) op.rows = 1, op.cols = s[0], op.col_stride = 1;
      else op.rows = s[0], op.cols = 1, op.row_stride = 1;
      return op;
    }
    size_t row_axis = rank - 2, col_axis = rank - 1;
    if (trans_batch_[which]) {
      if (rank < 3) return Status::Error("transBatch needs an operand of rank >= 3, got rank {}", rank);
      row_axis = 0;
      for (size_t i = 1; i + 1 < rank; ++i) op.batch.push_back(s[i]), op.batch_strides.push_back(strides[i]);
    } else {
      for (size_t i = 0; i + 2 < rank; ++i) op.batch.push_back(s[i]), op.batch_strides.push_back(strides[i]);
    }
    if (trans_[which]) std::swap(row_axis, col_axis);
    op.rows = s[row_axis];
    op.cols = s[col_axis];
    op.row_stride = strides[row_axis];
    op.col_stride = strides[col_axis];
    return op;
  }

  // Offset of batch index `index` (of the broadcast batch shape) into an operand.
  static int64_t BatchOffset(const Operand& op, const Shape& batch, const std::vector<int64_t>& index) {
    int64_t offset = 0;
    size_t shift = batch.size() - op.batch.size();
    for (size_t i = 0; i < op.batch.size(); ++i)
      if (op.batch[i] != 1) offset += index[i + shift] * op.batch_strides[i];
    return offset;
  }

  template <typename T>
  void Compute(const Tensor& a, const Operand& left, const Tensor& b, const Operand& right, const Shape& batch,
               Tensor& y) const {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* py = y.mutableData<T>();
    int64_t M = left.rows, K = left.cols, N = right.cols;
    int64_t count = ProductOf(batch, 0, batch.size());
    if (y.elementCount() == 0) return;
    std::vector<int64_t> index(batch.size(), 0);
    std::vector<double> acc(static_cast<size_t>(N));
    double alpha = alpha_;
    for (int64_t n = 0; n < count; ++n) {
      const T* ma = pa + BatchOffset(left, batch, index);
      const T* mb = pb + BatchOffset(right, batch, index);
      T* my = py + n * M * N;
      for (int64_t i = 0; i < M; ++i) {
        std::fill(acc.begin(), acc.end(), 0.0);
        for (int64_t k = 0; k < K; ++k) {
          double a_ik = AsDouble(ma[i * left.row_stride + k * left.col_stride]);
          const T* b_k = mb + k * right.row_stride;
          for (int64_t j = 0; j < N; ++j) acc[static_cast<size_t>(j)] += a_ik * AsDouble(b_k[j * right.col_stride]);
        }
        for (int64_t j = 0; j < N; ++j) my[i * N + j] = FromDouble<T>(alpha * acc[static_cast<size_t>(j)]);
      }
      for (size_t d = batch.size(); d-- > 0;) {
        if (++index[d] < batch[d]) break;
        index[d] = 0;
      }
    }
  }

  float alpha_ = 1.0f;
  bool trans_[2] = {false, false};
  bool trans_batch_[2] = {false, false};
};

// ---------------------------------------------------------------------------------------------
// Gelu, BiasGelu, FastGelu:
//   Gelu(x)           = 0.5 x (1 + erf(x / sqrt(2)))
//   BiasGelu(A, B)    = Gelu(A + B), B 1-D of A's last dimension
//   FastGelu(X, bias) = 0.5 v (1 + tanh(sqrt(2 / pi) (v + 0.044715 v^3))), v = X + bias (bias
//                       optional, 1-D of X's last dimension)

double ErfGelu(double v) { return 0.5 * v * (1.0 + std::erf(v / std::numbers::sqrt2)); }

double TanhGelu(double v) {
  return 0.5 * v * (1.0 + std::tanh(std::sqrt(2.0 / std::numbers::pi) * (v + 0.044715 * v * v * v)));
}

template <double (*F)(double)>
Status GeluWithBias(KernelContext& context, std::string_view op, bool bias_required) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  const Tensor* bias = context.input(1);
  if (bias_required && !bias) return Status::Error("input 1 (bias) is required");
  ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "input 0"));
  int64_t length = 1;
  if (bias) {
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "input 0", *bias, "bias"));
    if (x->rank() < 1) return Status::Error("input 0 must have rank >= 1 with a bias, got a scalar");
    length = x->shape().back();
    ONNXKIT_RETURN_IF_ERROR(RequireVector(*bias, "bias", length));
  }
  return DispatchFloat(x->dtype(), op, [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    const T* in = x->data<T>();
    const T* pb = bias ? bias->data<T>() : nullptr;
    T* out = y->mutableData<T>();
    for (int64_t i = 0; i < x->elementCount(); ++i) {
      double v = AsDouble(in[i]);
      if (pb) v += AsDouble(pb[i % length]);
      out[i] = FromDouble<T>(F(v));
    }
    return Status::Ok();
  });
}

Status Gelu(KernelContext& context) {
  if (context.input(1)) return Status::Error("Gelu takes one input");
  return GeluWithBias<ErfGelu>(context, "Gelu", false);
}
Status BiasGelu(KernelContext& context) { return GeluWithBias<ErfGelu>(context, "BiasGelu", true); }

// QuickGelu(x) = x * Sigmoid(alpha x) (alpha default 1.702; alpha = 1 is SiLU / Swish).
class QuickGelu : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    alpha_ = info.node.getFloat("alpha", 1.702f);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "X"));
    return DispatchFloat(x->dtype(), "QuickGelu", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      for (int64_t i = 0; i < x->elementCount(); ++i) {
        double v = AsDouble(in[i]);
        double scaled = AsDouble(FromDouble<T>(static_cast<double>(alpha_) * v));
        double sigmoid = AsDouble(FromDouble<T>(1.0 / (1.0 + std::exp(-scaled))));
        out[i] = FromDouble<T>(v * sigmoid);
      }
      return Status::Ok();
    });
  }

 private:
  float alpha_ = 1.702f;
};
Status FastGelu(KernelContext& context) { return GeluWithBias<TanhGelu>(context, "FastGelu", false); }

// ---------------------------------------------------------------------------------------------
// Normalization of rows of `cols` values: y = (v - mean) / sqrt(var + epsilon) * gamma + beta.

// Mean and population variance of a row, in double (two passes).
void RowStatistics(const double* row, int64_t cols, double& mean, double& variance) {
  double sum = 0;
  for (int64_t c = 0; c < cols; ++c) sum += row[c];
  mean = sum / static_cast<double>(cols);
  double squares = 0;
  for (int64_t c = 0; c < cols; ++c) squares += (row[c] - mean) * (row[c] - mean);
  variance = squares / static_cast<double>(cols);
}

// Stores a statistic in a float/double/half output tensor.
void StoreStatistic(Tensor& tensor, int64_t i, double value) {
  (void)DispatchFloat(tensor.dtype(), "statistic", [&]<typename T>() -> Status {
    tensor.mutableData<T>()[i] = FromDouble<T>(value);
    return Status::Ok();
  });
}

// SkipLayerNormalization (com.microsoft): s = input + skip (+ bias), normalized over the last
// axis with gamma (and beta). input is [B, S, H] or [S, H]; skip has its shape, or [1, S, H] or
// [S, H] for a 3-D input (repeated over the batch). Outputs: output; mean and inv_std_var (float,
// shape [..., 1]) when requested; input_skip_bias_sum s. The sum rounds to the element type after
// each addition, as the two Adds it replaces do; the statistics use those rounded sums.
class SkipLayerNormalization : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    epsilon_ = info.node.getFloat("epsilon", 1e-12f);
    if (!(epsilon_ >= 0)) return Status::Error("epsilon must be >= 0, got {}", epsilon_);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* skip, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* gamma, context.requiredInput(2));
    const Tensor* beta = context.input(3);
    const Tensor* bias = context.input(4);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "input"));
    if (x->rank() != 2 && x->rank() != 3)
      return Status::Error("input must have 2 or 3 dimensions, got [{}]", ShapeToString(x->shape()));
    int64_t hidden = x->shape().back();
    bool same = skip->shape() == x->shape();
    bool per_batch = x->rank() == 3 && ((skip->rank() == 3 && skip->dim(0) == 1) || skip->rank() == 2) &&
                     skip->dim(skip->rank() - 1) == hidden && skip->dim(skip->rank() - 2) == x->dim(1);
    if (!same && !per_batch)
      return Status::Error("skip of shape [{}] must have the input's shape [{}] (or [1, S, H] / [S, H])",
                           ShapeToString(skip->shape()), ShapeToString(x->shape()));
    for (auto [tensor, name] : {std::pair{skip, "skip"}, std::pair{gamma, "gamma"}, std::pair{beta, "beta"},
                                std::pair{bias, "bias"}}) {
      if (!tensor) continue;
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "input", *tensor, name));
      if (tensor != skip) ONNXKIT_RETURN_IF_ERROR(RequireVector(*tensor, name, hidden));
    }
    Shape stat_shape = x->shape();
    stat_shape.back() = 1;
    Tensor* mean_out = nullptr;
    Tensor* inv_std_out = nullptr;
    Tensor* sum_out = nullptr;
    if (Wants(context, 1)) {
      ONNXKIT_ASSIGN_OR_RETURN(mean_out, context.allocateOutput(1, DataType::kFloat, stat_shape));
    }
    if (Wants(context, 2)) {
      ONNXKIT_ASSIGN_OR_RETURN(inv_std_out, context.allocateOutput(2, DataType::kFloat, stat_shape));
    }
    if (Wants(context, 3)) {
      ONNXKIT_ASSIGN_OR_RETURN(sum_out, context.allocateOutput(3, x->dtype(), x->shape()));
    }
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    return DispatchFloat(x->dtype(), "SkipLayerNormalization", [&]<typename T>() -> Status {
      std::vector<double> g = ToDoubles<T>(*gamma);
      std::vector<double> b = beta ? ToDoubles<T>(*beta) : std::vector<double>(static_cast<size_t>(hidden), 0.0);
      const T* in = x->data<T>();
      const T* sk = skip->data<T>();
      const T* pbias = bias ? bias->data<T>() : nullptr;
      T* out = y->mutableData<T>();
      T* sum = sum_out ? sum_out->mutableData<T>() : nullptr;
      int64_t rows = hidden == 0 ? 0 : x->elementCount() / hidden;
      int64_t skip_size = skip->elementCount();
      std::vector<double> row(static_cast<size_t>(hidden));
      for (int64_t r = 0; r < rows; ++r) {
        int64_t base = r * hidden;
        const T* skip_row = sk + base % skip_size;
        for (int64_t h = 0; h < hidden; ++h) {
          T v = FromCompute<T>(ToCompute(in[base + h]) + ToCompute(skip_row[h]));
          if (pbias) v = FromCompute<T>(ToCompute(v) + ToCompute(pbias[h]));
          if (sum) sum[base + h] = v;
          row[static_cast<size_t>(h)] = AsDouble(v);
        }
        double mean, variance;
        RowStatistics(row.data(), hidden, mean, variance);
        double inv_std = 1.0 / std::sqrt(variance + static_cast<double>(epsilon_));
        if (mean_out) StoreStatistic(*mean_out, r, mean);
        if (inv_std_out) StoreStatistic(*inv_std_out, r, inv_std);
        for (int64_t h = 0; h < hidden; ++h) {
          size_t k = static_cast<size_t>(h);
          out[base + h] = FromDouble<T>((row[k] - mean) * inv_std * g[k] + b[k]);
        }
      }
      return Status::Ok();
    });
  }

 private:
  float epsilon_ = 1e-12f;
};

// LayerNormalization at opsets 1-16: ONNX Runtime's op in the default domain, with the semantics
// ONNX gave LayerNormalization in opset 17: normalizes over the dimensions [axis, rank); Scale
// and B have that many elements (or one); the statistics are computed in double, rounded to the
// stash type (float), and the normalized value is rounded to the element type before the scale
// and bias apply (the two stages of ONNX's function body). Mean and InvStdDev (optional) have
// shape [d0, ..., d(axis-1), 1, ..., 1] and the stash type.
class LayerNormalizationBelow17 : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    axis_ = node.getInt("axis", -1);
    epsilon_ = node.getFloat("epsilon", 1e-5f);
    int64_t stash = node.getInt("stash_type", static_cast<int64_t>(DataType::kFloat));
    if (stash != static_cast<int64_t>(DataType::kFloat))
      return Status::Error("stash_type must be 1 (float), got {}", stash);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    const Tensor* bias = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "X"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *scale, "Scale"));
    if (bias) ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *bias, "B"));
    int64_t rank = static_cast<int64_t>(x->rank());
    if (axis_ < -rank || axis_ >= rank) return Status::Error("axis {} is out of range for rank {}", axis_, rank);
    size_t axis = static_cast<size_t>(axis_ < 0 ? axis_ + rank : axis_);
    int64_t rows = ProductOf(x->shape(), 0, axis);
    int64_t cols = ProductOf(x->shape(), axis, x->rank());
    for (auto [tensor, name] : {std::pair{scale, "Scale"}, std::pair{bias, "B"}}) {
      if (tensor && tensor->elementCount() != cols && tensor->elementCount() != 1)
        return Status::Error("{} has shape [{}]: it must have the {} elements of the normalized dimensions", name,
                             ShapeToString(tensor->shape()), cols);
    }
    Shape stat_shape = x->shape();
    for (size_t d = axis; d < stat_shape.size(); ++d) stat_shape[d] = 1;
    Tensor* mean_out = nullptr;
    Tensor* inv_std_out = nullptr;
    if (Wants(context, 1)) {
      ONNXKIT_ASSIGN_OR_RETURN(mean_out, context.allocateOutput(1, DataType::kFloat, stat_shape));
    }
    if (Wants(context, 2)) {
      ONNXKIT_ASSIGN_OR_RETURN(inv_std_out, context.allocateOutput(2, DataType::kFloat, stat_shape));
    }
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    return DispatchFloat(x->dtype(), "LayerNormalization", [&]<typename T>() -> Status {
      std::vector<double> s = ToDoubles<T>(*scale);
      std::vector<double> b = bias ? ToDoubles<T>(*bias) : std::vector<double>(1, 0.0);
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      std::vector<double> row(static_cast<size_t>(cols));
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t c = 0; c < cols; ++c) row[static_cast<size_t>(c)] = AsDouble(in[r * cols + c]);
        double mean, variance;
        RowStatistics(row.data(), cols, mean, variance);
        mean = static_cast<float>(mean);
        double inv_std = static_cast<float>(1.0 / std::sqrt(variance + static_cast<double>(epsilon_)));
        if (mean_out) StoreStatistic(*mean_out, r, mean);
        if (inv_std_out) StoreStatistic(*inv_std_out, r, inv_std);
        for (int64_t c = 0; c < cols; ++c) {
          size_t k = static_cast<size_t>(c);
          double normalized = AsDouble(FromDouble<T>((row[k] - mean) * inv_std));
          out[r * cols + c] = FromDouble<T>(normalized * s[s.size() == 1 ? 0 : k] + b[b.size() == 1 ? 0 : k]);
        }
      }
      return Status::Ok();
    });
  }

 private:
  int64_t axis_ = -1;
  float epsilon_ = 1e-5f;
};

// ONNX Runtime's contrib ops are all version 1 of com.microsoft.
const KernelRegistration kKernels[] = {
    {"", "LayerNormalization", 1, 16, CreateKernel<LayerNormalizationBelow17>},
    {kMicrosoft, "BiasGelu", 1, 1, Function<BiasGelu>()},
    {kMicrosoft, "FastGelu", 1, 1, Function<FastGelu>()},
    {kMicrosoft, "FusedConv", 1, 1, CreateKernel<FusedConv>},
    {kMicrosoft, "FusedGemm", 1, 1, CreateKernel<FusedGemm>},
    {kMicrosoft, "FusedMatMul", 1, 1, CreateKernel<FusedMatMul>},
    {kMicrosoft, "Gelu", 1, 1, Function<Gelu>()},
    {kMicrosoft, "QuickGelu", 1, 1, CreateKernel<QuickGelu>},
    {kMicrosoft, "SkipLayerNormalization", 1, 1, CreateKernel<SkipLayerNormalization>},
};

}  // namespace

std::span<const KernelRegistration> ContribFusedKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
