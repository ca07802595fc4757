// MatMul, Gemm (opset 7+) and com.microsoft.FusedGemm on oneDNN's matmul, float32. Anything else
// (other types, more than 12 dims, empty tensors, batch dims oneDNN cannot broadcast, Gemm with
// alpha != 1 and C, or beta != 1, an activation oneDNN lacks, invalid shapes) runs on the
// reference kernel, which also words the errors.
//
// MatMul with a 2-D B (the weights of a linear layer) folds A's leading dims into its rows: one
// [rows, K] x [K, N] product. A constant B is reordered once into the primitive's layout.
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "runtime/kernel_registry.h"
#include "runtime/kernels/onednn/kernel_tables.h"
#include "runtime/kernels/onednn/onednn_util.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::onednn {
namespace {

using dnnl::memory;

bool IsFloat32(const Tensor* t) { return t && t->dtype() == DataType::kFloat; }

// The operand descriptors of one product; a, b and bias may be strided (Gemm's transposes).
struct ProductDescs {
  memory::desc a, b, bias, dst;
  bool operator==(const ProductDescs&) const = default;
};

// A oneDNN matmul for one set of descriptors, with B prepacked when it is a constant.
class Product {
 public:
  Product(bool b_constant, dnnl::post_ops ops) : b_constant_(b_constant), ops_(std::move(ops)) {}

  // Builds the primitive for `descs` unless it is the current one; false when oneDNN has none.
  bool prepare(const ProductDescs& descs) {
    if (primitive_ && descs == descs_) return true;
    try {
      auto any_b = memory::desc(descs.b.dims(), memory::data_type::f32, memory::format_tag::any);
      dnnl::primitive_attr attr;
      attr.set_post_ops(ops_);
      attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
      dnnl::matmul::desc desc(descs.a, b_constant_ ? any_b : descs.b, descs.bias, descs.dst);
      dnnl::matmul::primitive_desc pd(desc, attr, CpuEngine());
      primitive_ = dnnl::matmul(pd);
      b_desc_ = pd.weights_desc();
      scratchpad_ = memory(pd.scratchpad_desc(), CpuEngine());
    } catch (const dnnl::error&) {
      primitive_ = dnnl::matmul();
      return false;
    }
    descs_ = descs;
    packed_b_.reset();
    return true;
  }

  void run(const Tensor& a, const Tensor& b, const Tensor* bias, Tensor& y) {
    dnnl::stream& stream = CpuStream();
    std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, WrapInput(descs_.a, a)},
                                            {DNNL_ARG_WEIGHTS, weightsFor(b)},
                                            {DNNL_ARG_DST, WrapOutput(descs_.dst, y)},
                                            {DNNL_ARG_SCRATCHPAD, scratchpad_}};
    if (bias) args[DNNL_ARG_BIAS] = WrapInput(descs_.bias, *bias);
    primitive_.execute(stream, args);
    stream.wait();
  }

 private:
  memory weightsFor(const Tensor& b) {
    if (packed_b_ && packed_b_->data == b.raw()) return packed_b_->packed;
    memory plain = WrapInput(descs_.b, b);
    if (b_desc_ == descs_.b) return plain;
    memory packed(b_desc_, CpuEngine());
    dnnl::reorder(plain, packed).execute(CpuStream(), plain, packed);
    if (b_constant_) packed_b_ = PackedWeights{b.raw(), packed};
    return packed;
  }

  bool b_constant_;
  dnnl::post_ops ops_;
  ProductDescs descs_;
  dnnl::matmul primitive_;
  memory::desc b_desc_;
  memory scratchpad_;
  struct PackedWeights {
    const void* data;  // the constant B they were made from
    memory packed;
  };
  std::optional<PackedWeights> packed_b_;
};

bool HasEmptyOrTooManyDims(const Tensor& t) { return t.elementCount() == 0 || t.rank() > DNNL_MAX_NDIMS; }

// ---------------------------------------------------------------------------------------------
// MatMul: numpy matmul (1-D operands promoted, batch dims broadcast).
class MatMul : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    product_.emplace(info.constant_inputs.size() > 1 && info.constant_inputs[1], dnnl::post_ops());
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* a = context.input(0);
    const Tensor* b = context.input(1);
    if (!IsFloat32(a) || !IsFloat32(b) || a->rank() == 0 || b->rank() == 0 || HasEmptyOrTooManyDims(*a) ||
        HasEmptyOrTooManyDims(*b))
      return fallback_->run(context);
    auto plan = Plan(a->shape(), b->shape());
    if (!plan || !product_->prepare(plan->descs)) return fallback_->run(context);
    return CatchDnnl("matmul", [&]() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kFloat, plan->y_shape));
      product_->run(*a, *b, nullptr, *y);
      return Status::Ok();
    });
  }

 private:
  struct ProductPlan {
    ProductDescs descs;
    Shape y_shape;
  };

  // The product's descriptors, or nothing when K differs or batch dims do not broadcast (the
  // reference kernel then reports it).
  static std::optional<ProductPlan> Plan(Shape a, Shape b) {
    bool a_vector = a.size() == 1, b_vector = b.size() == 1;
    if (a_vector) a.insert(a.begin(), 1);
    if (b_vector) b.push_back(1);
    int64_t k = a.back();
    if (b[b.size() - 2] != k) return std::nullopt;
    ProductPlan plan;
    if (b.size() == 2) {  // [rows, K] x [K, N]
      int64_t rows = ProductOf(a, 0, a.size() - 1);
      plan.descs = {PlainDesc({rows, k}), PlainDesc(ToDims(b)), memory::desc(), PlainDesc({rows, b[1]})};
      plan.y_shape.assign(a.begin(), a.end() - 1);
    } else {
      size_t rank = std::max(a.size(), b.size());
      a.insert(a.begin(), rank - a.size(), 1);
      b.insert(b.begin(), rank - b.size(), 1);
      Shape y(rank);
      for (size_t i = 0; i + 2 < rank; ++i) {
        if (a[i] != b[i] && a[i] != 1 && b[i] != 1) return std::nullopt;
        y[i] = std::max(a[i], b[i]);
      }
      y[rank - 2] = a[rank - 2];
      y[rank - 1] = b[rank - 1];
      plan.descs = {PlainDesc(ToDims(a)), PlainDesc(ToDims(b)), memory::desc(), PlainDesc(ToDims(y))};
      plan.y_shape.assign(y.begin(), y.end() - 1);
    }
    if (!b_vector) plan.y_shape.push_back(b.back());
    if (a_vector) plan.y_shape.erase(plan.y_shape.end() - (b_vector ? 1 : 2));
    return plan;
  }

  std::unique_ptr<Kernel> fallback_;
  std::optional<Product> product_;
};

// ---------------------------------------------------------------------------------------------
// Gemm and FusedGemm: Y = activation(alpha * op(A) * op(B) + beta * C).
class Gemm : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    const Node& node = info.node;
    alpha_ = node.getFloat("alpha", 1.0f);
    beta_ = node.getFloat("beta", 1.0f);
    trans_a_ = node.getInt("transA", 0) != 0;
    trans_b_ = node.getInt("transB", 0) != 0;
    dnnl::post_ops ops;
    if (alpha_ != 1.0f) ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_linear, alpha_, 0.0f);
    if (node.opType() == "FusedGemm") {
      auto activation = reference::ReadGemmActivation(node);
      if (!activation.ok() || !AppendActivation(*activation, ops)) return Status::Ok();
    }
    product_.emplace(info.constant_inputs.size() > 1 && info.constant_inputs[1], ops);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* a = context.input(0);
    const Tensor* b = context.input(1);
    const Tensor* c = context.input(2);
    if (c && beta_ == 0.0f) c = nullptr;
    bool supported = product_ && IsFloat32(a) && IsFloat32(b) && (!c || IsFloat32(c)) && a->rank() == 2 &&
                     b->rank() == 2 && a->elementCount() > 0 && b->elementCount() > 0 &&
                     (!c || (beta_ == 1.0f && alpha_ == 1.0f && c->rank() <= 2 && c->elementCount() > 0));
    if (!supported) return fallback_->run(context);
    int64_t m = trans_a_ ? a->dim(1) : a->dim(0), k = trans_a_ ? a->dim(0) : a->dim(1);
    int64_t n = trans_b_ ? b->dim(0) : b->dim(1), k_b = trans_b_ ? b->dim(1) : b->dim(0);
    if (k != k_b) return fallback_->run(context);
    ProductDescs descs;
    descs.a = trans_a_ ? memory::desc({m, k}, memory::data_type::f32, {1, m}) : PlainDesc({m, k});
    descs.b = trans_b_ ? memory::desc({k, n}, memory::data_type::f32, {1, k}) : PlainDesc({k, n});
    descs.dst = PlainDesc({m, n});
    if (c) {  // C broadcasts to [M, N]: dims of 1 or the full size
      Shape shape = c->shape();
      shape.insert(shape.begin(), 2 - shape.size(), 1);
      if ((shape[0] != 1 && shape[0] != m) || (shape[1] != 1 && shape[1] != n)) return fallback_->run(context);
      descs.bias = PlainDesc(ToDims(shape));
    }
    if (!product_->prepare(descs)) return fallback_->run(context);
    return CatchDnnl("matmul", [&]() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kFloat, {m, n}));
      product_->run(*a, *b, c, *y);
      return Status::Ok();
    });
  }

 private:
  std::unique_ptr<Kernel> fallback_;
  std::optional<Product> product_;  // empty when the activation has no oneDNN equivalent
  float alpha_ = 1, beta_ = 1;
  bool trans_a_ = false, trans_b_ = false;
};

const std::vector<DataType> kFloat32 = {DataType::kFloat};

}  // namespace

std::span<const KernelRegistration> MatMulKernels() {
  static const std::vector<KernelRegistration> table = {
      {"", "MatMul", 1, kLatestOpset, CreateKernel<MatMul>, kFloat32, true},
      {"", "Gemm", 7, kLatestOpset, CreateKernel<Gemm>, kFloat32, true},
      {"com.microsoft", "FusedGemm", 1, kLatestOpset, CreateKernel<Gemm>, kFloat32, true},
  };
  return table;
}

}  // namespace onnxkit::runtime::onednn
