#include "runtime/kernel_registry.h"

#include <algorithm>

#include "ir/model.h"
#include "runtime/kernels/onednn/kernel_tables.h"
#include "runtime/kernels/reference/kernel_tables.h"

namespace onnxkit::runtime {

std::span<const KernelRegistration> AllKernels() {
  static const std::vector<KernelRegistration> all = [] {
    std::vector<KernelRegistration> list;
    for (auto table : {onednn::ConvolutionKernels(), onednn::MatMulKernels(), onednn::ElementwiseKernels(),
                       reference::ElementwiseKernels(), reference::BinaryElementwiseKernels(), reference::CastKernels(),
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

std::vector<const KernelRegistration*> FindKernels(std::string_view domain, std::string_view op_type, int64_t opset,
                                                   KernelSet set) {
  bool onnx_domain = IsOnnxDomain(domain);
  std::vector<const KernelRegistration*> found;
  for (const KernelRegistration& entry : AllKernels()) {
    if (entry.optimized && set == KernelSet::kReferenceOnly) continue;
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

Result<std::unique_ptr<Kernel>> CreateReferenceKernel(const KernelInfo& info) {
  const Node& node = info.node;
  auto candidates = FindKernels(node.domain(), node.opType(), info.opset, KernelSet::kReferenceOnly);
  DataType first_type = DataType::kUndefined;
  for (DataType type : info.input_types)
    if (type != DataType::kUndefined) {
      first_type = type;
      break;
    }
  const KernelRegistration* registration = SelectKernel(candidates, first_type);
  if (!registration)
    return Status::Error("no reference kernel for op '{}' with input type {}", node.opType(), DataTypeName(first_type));
  return registration->create(info);
}

}  // namespace onnxkit::runtime
