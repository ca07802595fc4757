// What the oneDNN kernels share: the CPU engine and stream, tensors as oneDNN memory, the
// activations of FusedConv/FusedGemm as post-ops, and oneDNN's exceptions as Status.
//
// The kernels create a primitive for the shapes of the first run and keep it while the shapes
// stay; constant weights are reordered once into the layout the primitive prefers (prepacking).
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include <optional>
#include <string_view>

#include "ir/status.h"
#include "runtime/kernels/contrib/fused_activation.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime::onednn {

dnnl::engine& CpuEngine();
// The stream of the calling thread (sessions may run on several threads).
dnnl::stream& CpuStream();

dnnl::memory::dims ToDims(const Shape& shape);

// A plain (row-major) float32 descriptor of `dims`.
dnnl::memory::desc PlainDesc(const dnnl::memory::dims& dims);

// The tensor's data as oneDNN memory of descriptor `desc` (no copy). oneDNN never writes inputs.
dnnl::memory WrapInput(const dnnl::memory::desc& desc, const Tensor& tensor);
dnnl::memory WrapOutput(const dnnl::memory::desc& desc, Tensor& tensor);

// Appends the activation as eltwise post-ops; false when oneDNN has no equivalent.
bool AppendActivation(const reference::Activation& activation, dnnl::post_ops& ops);

// Runs `body`, turning a dnnl::error into a Status naming `what`.
template <typename F>
Status CatchDnnl(std::string_view what, F&& body) {
  try {
    return body();
  } catch (const dnnl::error& e) {
    return Status::Error("oneDNN {}: {}", what, e.what());
  }
}

}  // namespace onnxkit::runtime::onednn
