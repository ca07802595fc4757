// Element-wise ops and Softmax on oneDNN's binary, eltwise and softmax primitives, float32:
// vectorized (run-time dispatch) and threaded on the shared OpenMP pool.
//   Add, Sub, Mul, Div (opset 7+, numpy broadcasting): the output has the shape of one operand
//     and the other broadcasts to it (Sub and Div: the first operand must be the full one);
//   Relu, Sigmoid, Tanh, Exp, Log, Sqrt, Abs, Neg, LeakyRelu, Elu, Softplus, HardSwish;
//   Pow with a constant scalar exponent; com.microsoft.QuickGelu (x * Sigmoid(alpha x));
//   Softmax (one axis from opset 13; the flattened 2-D form before).
// Anything else (other types, both operands broadcasting, empty tensors, more than 12 dims)
// runs on the reference kernel.
#include <memory>
#include <unordered_map>
#include <vector>

#include "runtime/kernel_registry.h"
#include "runtime/kernels/onednn/kernel_tables.h"
#include "runtime/kernels/onednn/onednn_util.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::onednn {
namespace {

using dnnl::algorithm;
using dnnl::memory;

bool IsFloat32(const Tensor* t) { return t && t->dtype() == DataType::kFloat; }

bool Supported(const Tensor* t) { return IsFloat32(t) && t->elementCount() > 0 && t->rank() <= DNNL_MAX_NDIMS; }

// The shape as `rank` dims (rank >= its own; 1s prepended), at least one dim (oneDNN has no scalars).
memory::dims Padded(const Shape& shape, size_t rank) {
  memory::dims dims(std::max<size_t>(rank, 1) - shape.size(), 1);
  dims.insert(dims.end(), shape.begin(), shape.end());
  return dims;
}

// The primitive for the shapes of the last run, rebuilt when they change (one per node, so a
// model with changing shapes does not accumulate primitives).
template <typename Primitive>
class LastShapePrimitive {
 public:
  template <typename MakeDesc>
  Primitive& get(const memory::dims& key, MakeDesc&& make_desc) {
    if (!primitive_ || key != key_) {
      primitive_ = std::make_unique<Primitive>(typename Primitive::primitive_desc(make_desc(), CpuEngine()));
      key_ = key;
    }
    return *primitive_;
  }

 private:
  memory::dims key_;
  std::unique_ptr<Primitive> primitive_;
};

// Runs a single-source primitive (eltwise, softmax) over x, viewed as `dims`, into output 0 of x's shape.
Status RunOnWholeTensor(KernelContext& context, dnnl::primitive& primitive, const memory::dims& dims, const Tensor& x) {
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kFloat, x.shape()));
  dnnl::stream& stream = CpuStream();
  primitive.execute(stream, {{DNNL_ARG_SRC, WrapInput(PlainDesc(dims), x)}, {DNNL_ARG_DST, WrapOutput(PlainDesc(dims), *y)}});
  stream.wait();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
class Binary : public Kernel {
 public:
  Binary(algorithm alg, bool commutative) : algorithm_(alg), commutative_(commutative) {}

  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* a = context.input(0);
    const Tensor* b = context.input(1);
    if (!Supported(a) || !Supported(b)) return fallback_->run(context);
    size_t rank = std::max(a->rank(), b->rank());
    memory::dims da = Padded(a->shape(), rank), db = Padded(b->shape(), rank);
    memory::dims dy(da.size());
    for (size_t i = 0; i < da.size(); ++i) {
      if (da[i] != db[i] && da[i] != 1 && db[i] != 1) return fallback_->run(context);  // the reference words it
      dy[i] = std::max(da[i], db[i]);
    }
    // oneDNN broadcasts only its second source: the operand of the output's shape goes first.
    if (da != dy) {
      if (db != dy || !commutative_) return fallback_->run(context);
      std::swap(a, b);
      std::swap(da, db);
    }
    Shape y_shape(dy.end() - static_cast<std::ptrdiff_t>(rank), dy.end());
    return CatchDnnl("binary", [&]() -> Status {
      memory::dims key = da;
      key.insert(key.end(), db.begin(), db.end());
      auto& primitive = primitive_.get(key, [&] {
        return dnnl::binary::desc(algorithm_, PlainDesc(da), PlainDesc(db), PlainDesc(da));
      });
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kFloat, y_shape));
      dnnl::stream& stream = CpuStream();
      primitive.execute(stream, {{DNNL_ARG_SRC_0, WrapInput(PlainDesc(da), *a)},
                                 {DNNL_ARG_SRC_1, WrapInput(PlainDesc(db), *b)},
                                 {DNNL_ARG_DST, WrapOutput(PlainDesc(da), *y)}});
      stream.wait();
      return Status::Ok();
    });
  }

 private:
  algorithm algorithm_;
  bool commutative_;
  std::unique_ptr<Kernel> fallback_;
  LastShapePrimitive<dnnl::binary> primitive_;
};

template <algorithm Alg, bool Commutative>
Result<std::unique_ptr<Kernel>> CreateBinary(const KernelInfo& info) {
  auto kernel = std::make_unique<Binary>(Alg, Commutative);
  ONNXKIT_RETURN_IF_ERROR(kernel->prepare(info));
  return std::unique_ptr<Kernel>(std::move(kernel));
}

// ---------------------------------------------------------------------------------------------
class Eltwise : public Kernel {
 public:
  Eltwise(algorithm alg, float alpha, float beta) : algorithm_(alg), alpha_(alpha), beta_(beta) {}

  Status prepare(const KernelInfo& info, std::string_view alpha_attribute, std::string_view beta_attribute) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    if (!alpha_attribute.empty()) alpha_ = info.node.getFloat(alpha_attribute, alpha_);
    if (!beta_attribute.empty()) beta_ = info.node.getFloat(beta_attribute, beta_);
    return Status::Ok();
  }

  // Pow(x, e) with a constant scalar e: x^e is eltwise_pow with alpha 1 and beta e.
  Status preparePow(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    const Tensor* exponent = info.constant_inputs.size() > 1 ? info.constant_inputs[1] : nullptr;
    if (exponent && exponent->dtype() == DataType::kFloat && exponent->elementCount() == 1) {
      beta_ = exponent->data<float>()[0];
      pow_ready_ = true;
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* x = context.input(0);
    if (!Supported(x) || (algorithm_ == algorithm::eltwise_pow && !pow_ready_)) return fallback_->run(context);
    memory::dims dims = Padded(x->shape(), x->rank());
    return CatchDnnl("eltwise", [&]() -> Status {
      auto& primitive = primitive_.get(dims, [&] {
        return dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, algorithm_, PlainDesc(dims), alpha_,
                                           beta_);
      });
      return RunOnWholeTensor(context, primitive, dims, *x);
    });
  }

 private:
  algorithm algorithm_;
  float alpha_, beta_;
  bool pow_ready_ = false;
  std::unique_ptr<Kernel> fallback_;
  LastShapePrimitive<dnnl::eltwise_forward> primitive_;
};

// An eltwise kernel with fixed alpha/beta, or alpha/beta read from the node's attributes.
template <algorithm Alg, int AlphaTimes100, int BetaTimes100>
Result<std::unique_ptr<Kernel>> CreateEltwise(const KernelInfo& info) {
  auto kernel = std::make_unique<Eltwise>(Alg, AlphaTimes100 / 100.0f, BetaTimes100 / 100.0f);
  std::string_view alpha_attribute = Alg == algorithm::eltwise_relu || Alg == algorithm::eltwise_elu ? "alpha" : "";
  if (info.node.opType() == "Relu") alpha_attribute = "";  // Relu has no alpha; LeakyRelu's default is 0.01
  ONNXKIT_RETURN_IF_ERROR(kernel->prepare(info, alpha_attribute, ""));
  return std::unique_ptr<Kernel>(std::move(kernel));
}

// com.microsoft.QuickGelu: x * Sigmoid(alpha x), alpha default 1.702 (1: SiLU/Swish).
Result<std::unique_ptr<Kernel>> CreateQuickGelu(const KernelInfo& info) {
  auto kernel = std::make_unique<Eltwise>(algorithm::eltwise_swish, 1.702f, 0.0f);
  ONNXKIT_RETURN_IF_ERROR(kernel->prepare(info, "alpha", ""));
  return std::unique_ptr<Kernel>(std::move(kernel));
}

Result<std::unique_ptr<Kernel>> CreatePow(const KernelInfo& info) {
  auto kernel = std::make_unique<Eltwise>(algorithm::eltwise_pow, 1.0f, 1.0f);
  ONNXKIT_RETURN_IF_ERROR(kernel->preparePow(info));
  return std::unique_ptr<Kernel>(std::move(kernel));
}

// ---------------------------------------------------------------------------------------------
class Softmax : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    flattened_ = info.opset < 13;
    axis_ = info.node.getInt("axis", flattened_ ? 1 : -1);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* x = context.input(0);
    int64_t rank = static_cast<int64_t>(x ? x->rank() : 0);
    if (!Supported(x) || rank == 0 || axis_ < -rank || axis_ >= rank) return fallback_->run(context);
    int64_t axis = axis_ < 0 ? axis_ + rank : axis_;
    memory::dims dims = ToDims(x->shape());
    if (flattened_) {  // [prod(dims before axis), prod(dims from axis)], softmax over the second
      dims = {ProductOf(x->shape(), 0, static_cast<size_t>(axis)),
              ProductOf(x->shape(), static_cast<size_t>(axis), x->rank())};
      axis = 1;
    }
    return CatchDnnl("softmax", [&]() -> Status {
      auto& primitive = primitive_.get(dims, [&] {
        return dnnl::softmax_forward::desc(dnnl::prop_kind::forward_inference, PlainDesc(dims), static_cast<int>(axis));
      });
      return RunOnWholeTensor(context, primitive, dims, *x);
    });
  }

 private:
  std::unique_ptr<Kernel> fallback_;
  bool flattened_ = false;
  int64_t axis_ = -1;
  LastShapePrimitive<dnnl::softmax_forward> primitive_;
};

const std::vector<DataType> kFloat32 = {DataType::kFloat};

}  // namespace

std::span<const KernelRegistration> ElementwiseKernels() {
  static const std::vector<KernelRegistration> table = {
      {"", "Abs", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_abs, 0, 0>, kFloat32, true},
      {"", "Add", 7, kLatestOpset, CreateBinary<algorithm::binary_add, true>, kFloat32, true},
      {"", "Div", 7, kLatestOpset, CreateBinary<algorithm::binary_div, false>, kFloat32, true},
      {"", "Elu", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_elu, 100, 0>, kFloat32, true},
      {"", "Exp", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_exp, 0, 0>, kFloat32, true},
      {"", "HardSwish", 14, kLatestOpset, CreateEltwise<algorithm::eltwise_hardswish, 0, 0>, kFloat32, true},
      {"", "LeakyRelu", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_relu, 1, 0>, kFloat32, true},
      {"", "Log", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_log, 0, 0>, kFloat32, true},
      {"", "Mul", 7, kLatestOpset, CreateBinary<algorithm::binary_mul, true>, kFloat32, true},
      {"", "Neg", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_linear, -100, 0>, kFloat32, true},
      {"", "Pow", 7, kLatestOpset, CreatePow, kFloat32, true},
      {"com.microsoft", "QuickGelu", 1, kLatestOpset, CreateQuickGelu, kFloat32, true},
      {"", "Relu", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_relu, 0, 0>, kFloat32, true},
      {"", "Sigmoid", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_logistic, 0, 0>, kFloat32, true},
      {"", "Softmax", 1, kLatestOpset, CreateKernel<Softmax>, kFloat32, true},
      {"", "Softplus", 1, kLatestOpset, CreateEltwise<algorithm::eltwise_soft_relu, 0, 0>, kFloat32, true},
      {"", "Sqrt", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_sqrt, 0, 0>, kFloat32, true},
      {"", "Sub", 7, kLatestOpset, CreateBinary<algorithm::binary_sub, false>, kFloat32, true},
      {"", "Tanh", 6, kLatestOpset, CreateEltwise<algorithm::eltwise_tanh, 0, 0>, kFloat32, true},
  };
  return table;
}

}  // namespace onnxkit::runtime::onednn
