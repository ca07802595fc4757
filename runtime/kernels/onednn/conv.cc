// Conv and com.microsoft.FusedConv (Y = activation(Conv(X, W, B) + Z)) on oneDNN's convolution,
// float32, 1 to 3 spatial axes. Anything else (other types, 4+ spatial axes, empty tensors, an
// activation oneDNN lacks, invalid shapes, a case oneDNN has no implementation for) runs on the
// reference kernel, which also words the errors.
//
// Layout: activations stay row-major (NCHW) between nodes; each convolution runs in the layout
// oneDNN prefers (channels-last or blocked for its brgemm kernels), its input and output
// reordered around it. That beat the plain layout for every convolution, 1x1 included (ResNet-50
// at 1 thread: 159 ms against 252 ms plain); the reorders are still ~40% of the time, which a
// channels-last layout kept between nodes would remove (docs/performance.md). Constant weights
// are reordered once into the primitive's layout.
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "runtime/kernel_registry.h"
#include "runtime/kernels/conv_geometry.h"
#include "runtime/kernels/onednn/kernel_tables.h"
#include "runtime/kernels/onednn/onednn_util.h"

namespace onnxkit::runtime::onednn {
namespace {

using dnnl::memory;

class Conv : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(fallback_, CreateReferenceKernel(info));
    auto attributes = ConvAttributes::Read(info.node);
    if (!attributes.ok()) return Status::Ok();  // the reference kernel reports it at run time
    attributes_ = std::move(attributes).value();
    if (info.node.opType() == "FusedConv") {
      auto activation = reference::ReadConvActivation(info.node);
      if (!activation.ok()) return Status::Ok();
      dnnl::post_ops ops;
      if (!AppendActivation(*activation, ops)) return Status::Ok();
      activation_ = *activation;
    }
    weights_constant_ = info.constant_inputs.size() > 1 && info.constant_inputs[1];
    supported_ = true;
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    const Tensor* x = context.input(0);
    const Tensor* w = context.input(1);
    const Tensor* b = context.input(2);
    const Tensor* z = context.inputCount() > 3 ? context.input(3) : nullptr;
    if (!supported_ || !x || !w || !IsFloat32(x) || !IsFloat32(w) || (b && !IsFloat32(b)) || (z && !IsFloat32(z)) ||
        x->rank() < 3 || x->rank() > 5 || x->elementCount() == 0 || w->elementCount() == 0)
      return fallback_->run(context);
    auto geometry = ResolveConvGeometry(attributes_, x->shape(), w->shape());
    if (!geometry.ok()) return fallback_->run(context);
    Shape y_shape = geometry->outputShape();
    if ((b && (b->rank() != 1 || b->dim(0) != geometry->out_channels)) || (z && z->shape() != y_shape))
      return fallback_->run(context);
    if (!primitive_ || x->shape() != x_shape_ || w->shape() != w_shape_ || (b != nullptr) != has_bias_ ||
        (z != nullptr) != has_sum_) {
      try {
        build(*geometry, x->shape(), w->shape(), b != nullptr, z != nullptr);
      } catch (const dnnl::error&) {  // no oneDNN implementation for this case
        primitive_ = dnnl::convolution_forward();
        return fallback_->run(context);
      }
    }
    return CatchDnnl("convolution", [&]() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, DataType::kFloat, y_shape));
      execute(*x, *w, b, z, *y);
      return Status::Ok();
    });
  }

 private:
  static bool IsFloat32(const Tensor* t) { return t->dtype() == DataType::kFloat; }

  void build(const ConvGeometry& g, const Shape& x_shape, const Shape& w_shape, bool has_bias, bool has_sum) {
    x_shape_ = x_shape;
    w_shape_ = w_shape;
    has_bias_ = has_bias;
    has_sum_ = has_sum;
    packed_weights_.reset();
    memory::dims src = ToDims(x_shape), dst = ToDims(g.outputShape());
    memory::dims weights = ToDims(w_shape);
    if (g.group > 1) {  // [G, M/G, C/G, k...]
      weights[0] = g.out_channels / g.group;
      weights.insert(weights.begin(), g.group);
    }
    plain_weights_ = PlainDesc(weights);
    memory::dims stride(g.stride.begin(), g.stride.end()), pad_l(g.pad_begin.begin(), g.pad_begin.end()),
        pad_r(g.pad_end.begin(), g.pad_end.end()), dilation;
    for (int64_t d : g.dilation) dilation.push_back(d - 1);  // oneDNN counts the gaps
    plain_src_ = PlainDesc(src);
    plain_dst_ = PlainDesc(dst);
    auto any = [](const memory::dims& dims) { return memory::desc(dims, memory::data_type::f32, memory::format_tag::any); };
    memory::desc src_desc = any(src), dst_desc = any(dst);
    memory::desc bias_desc = has_bias ? PlainDesc({g.out_channels}) : memory::desc();
    dnnl::post_ops ops;
    if (has_sum) ops.append_sum(1.0f);
    AppendActivation(activation_, ops);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                         src_desc, any(weights), bias_desc, dst_desc, stride, dilation, pad_l, pad_r);
    dnnl::convolution_forward::primitive_desc pd(desc, attr, CpuEngine());
    primitive_ = dnnl::convolution_forward(pd);
    weights_desc_ = pd.weights_desc();
    src_desc_ = pd.src_desc();
    dst_desc_ = pd.dst_desc();
    src_buffer_ = src_desc_ == plain_src_ ? memory() : memory(src_desc_, CpuEngine());
    dst_buffer_ = dst_desc_ == plain_dst_ ? memory() : memory(dst_desc_, CpuEngine());
    scratchpad_ = memory(pd.scratchpad_desc(), CpuEngine());
  }

  // W in the primitive's layout: reordered once when W is a constant of the model.
  memory weightsFor(const Tensor& w) {
    if (packed_weights_ && packed_weights_->data == w.raw()) return packed_weights_->packed;
    memory plain = WrapInput(plain_weights_, w);
    if (weights_desc_ == plain_weights_) return plain;
    memory packed(weights_desc_, CpuEngine());
    dnnl::reorder(plain, packed).execute(CpuStream(), plain, packed);
    if (weights_constant_) packed_weights_ = PackedWeights{w.raw(), packed};
    return packed;
  }

  void execute(const Tensor& x, const Tensor& w, const Tensor* b, const Tensor* z, Tensor& y) {
    dnnl::stream& stream = CpuStream();
    memory x_plain = WrapInput(plain_src_, x), y_plain = WrapOutput(plain_dst_, y);
    memory src = x_plain, dst = y_plain;
    if (src_buffer_) {
      dnnl::reorder(x_plain, src_buffer_).execute(stream, x_plain, src_buffer_);
      src = src_buffer_;
    }
    if (dst_buffer_) dst = dst_buffer_;
    if (z) {  // the sum post-op adds what dst holds
      memory z_plain = WrapInput(plain_dst_, *z);
      dnnl::reorder(z_plain, dst).execute(stream, z_plain, dst);
    }
    std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src},
                                            {DNNL_ARG_WEIGHTS, weightsFor(w)},
                                            {DNNL_ARG_DST, dst},
                                            {DNNL_ARG_SCRATCHPAD, scratchpad_}};
    if (b) args[DNNL_ARG_BIAS] = WrapInput(PlainDesc({b->dim(0)}), *b);
    primitive_.execute(stream, args);
    if (dst_buffer_) dnnl::reorder(dst_buffer_, y_plain).execute(stream, dst_buffer_, y_plain);
    stream.wait();
  }

  std::unique_ptr<Kernel> fallback_;
  bool supported_ = false, weights_constant_ = false;
  ConvAttributes attributes_;
  reference::Activation activation_;

  // The primitive for the shapes of the last run.
  Shape x_shape_, w_shape_;
  bool has_bias_ = false, has_sum_ = false;
  dnnl::convolution_forward primitive_;
  memory::desc plain_src_, plain_dst_, plain_weights_, src_desc_, dst_desc_, weights_desc_;
  memory src_buffer_, dst_buffer_, scratchpad_;
  struct PackedWeights {
    const void* data;  // the constant W they were made from
    memory packed;
  };
  std::optional<PackedWeights> packed_weights_;
};

const std::vector<DataType> kFloat32 = {DataType::kFloat};

}  // namespace

std::span<const KernelRegistration> ConvolutionKernels() {
  static const std::vector<KernelRegistration> table = {
      {"", "Conv", 1, kLatestOpset, CreateKernel<Conv>, kFloat32, true},
      {"com.microsoft", "FusedConv", 1, kLatestOpset, CreateKernel<Conv>, kFloat32, true},
  };
  return table;
}

}  // namespace onnxkit::runtime::onednn
