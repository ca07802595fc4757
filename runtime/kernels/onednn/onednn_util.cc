#include "runtime/kernels/onednn/onednn_util.h"

namespace onnxkit::runtime::onednn {

dnnl::engine& CpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& CpuStream() {
  thread_local dnnl::stream stream(CpuEngine());
  return stream;
}

dnnl::memory::dims ToDims(const Shape& shape) { return dnnl::memory::dims(shape.begin(), shape.end()); }

dnnl::memory::desc PlainDesc(const dnnl::memory::dims& dims) {
  dnnl::memory::dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return dnnl::memory::desc(dims, dnnl::memory::data_type::f32, strides);
}

dnnl::memory WrapInput(const dnnl::memory::desc& desc, const Tensor& tensor) {
  return dnnl::memory(desc, CpuEngine(), const_cast<void*>(tensor.raw()));
}

dnnl::memory WrapOutput(const dnnl::memory::desc& desc, Tensor& tensor) {
  return dnnl::memory(desc, CpuEngine(), tensor.mutableRaw());
}

bool AppendActivation(const reference::Activation& activation, dnnl::post_ops& ops) {
  using reference::ActivationKind;
  using dnnl::algorithm;
  auto alpha = static_cast<float>(activation.alpha), beta = static_cast<float>(activation.beta);
  switch (activation.kind) {
    case ActivationKind::kIdentity: return true;
    case ActivationKind::kRelu: ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f); return true;
    case ActivationKind::kLeakyRelu: ops.append_eltwise(1.0f, algorithm::eltwise_relu, alpha, 0.0f); return true;
    case ActivationKind::kSigmoid: ops.append_eltwise(1.0f, algorithm::eltwise_logistic, 0.0f, 0.0f); return true;
    case ActivationKind::kTanh: ops.append_eltwise(1.0f, algorithm::eltwise_tanh, 0.0f, 0.0f); return true;
    case ActivationKind::kSilu: ops.append_eltwise(1.0f, algorithm::eltwise_swish, 1.0f, 0.0f); return true;
    case ActivationKind::kClip: ops.append_eltwise(1.0f, algorithm::eltwise_clip, alpha, beta); return true;
    case ActivationKind::kHardSigmoid:  // max(0, min(1, alpha x + beta))
      ops.append_eltwise(1.0f, algorithm::eltwise_linear, alpha, beta);
      ops.append_eltwise(1.0f, algorithm::eltwise_clip, 0.0f, 1.0f);
      return true;
    default: return false;
  }
}

}  // namespace onnxkit::runtime::onednn
