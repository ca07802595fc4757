#include "runtime/kernel_registry.h"

#include <algorithm>

#include "ir/model.h"
#include "runtime/kernels/reference/kernel_tables.h"

namespace onnxkit::runtime {

std::span<const KernelRegistration> AllKernels() {
  static const std::vector<KernelRegistration> all = [] {
    std::vector<KernelRegistration> list;
    for (auto table : {reference::ElementwiseKernels(), reference::BinaryElementwiseKernels(), reference::CastKernels(),
                       reference::TensorBasicKernels(), reference::TensorShapeKernels(),
                       reference::TensorIndexKernels(), reference::ResizeKernels(), reference::ConvolutionKernels(),
                       reference::MatMulKernels(), reference::NormalizationKernels(), reference::ReductionKernels(),
                       reference::ControlFlowKernels(), reference::RecurrentKernels(), reference::QuantizationKernels(),
                       reference::DetectionKernels(), reference::ContribFusedKernels(),
                       reference::ContribAttentionKernels(), reference::ContribQLinearKernels()})
      list.insert(list.end(), table.begin(), table.end());
    return list;
  }();
  return all;
}

std::vector<const KernelRegistration*> FindKernels(std::string_view domain, std::string_view op_type, int64_t opset) {
  bool onnx_domain = IsOnnxDomain(domain);
  std::vector<const KernelRegistration*> found;
  for (const KernelRegistration& entry : AllKernels()) {
    bool same_domain = onnx_domain ? IsOnnxDomain(entry.domain) : entry.domain == domain;
    if (same_domain && entry.op_type == op_type && opset >= entry.since_version && opset <= entry.until_version)
      found.push_back(&entry);
  }
  return found;
}

const KernelRegistration* SelectKernel(std::span<const KernelRegistration* const> candidates, DataType first_input_type) {
  for (const KernelRegistration* entry : candidates) {
    if (entry->types.empty() ||
        std::find(entry->types.begin(), entry->types.end(), first_input_type) != entry->types.end())
      return entry;
  }
  return nullptr;
}

}  // namespace onnxkit::runtime
