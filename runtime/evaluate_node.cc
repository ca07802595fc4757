#include "runtime/evaluate_node.h"

#include "runtime/kernel_registry.h"

namespace onnxkit::runtime {
namespace {

class StandaloneContext : public KernelContext {
 public:
  StandaloneContext(const Node& node, int64_t opset, std::span<const Tensor* const> inputs)
      : node_(node), opset_(opset), inputs_(inputs.begin(), inputs.end()), outputs_(node.outputCount()) {}

  const Node& node() const override { return node_; }
  int64_t opset() const override { return opset_; }
  size_t inputCount() const override { return inputs_.size(); }
  const Tensor* input(size_t i) const override { return i < inputs_.size() ? inputs_[i] : nullptr; }
  size_t outputCount() const override { return outputs_.size(); }
  bool outputRequested(size_t i) const override { return node_.output(i) != nullptr; }
  Result<Tensor*> allocateOutput(size_t i, DataType type, const Shape& shape) override {
    Tensor& slot = i < outputs_.size() ? outputs_[i] : scratch_;
    ONNXKIT_ASSIGN_OR_RETURN(slot, Tensor::Allocate(type, shape));
    return &slot;
  }
  void setOutput(size_t i, Tensor tensor) override {
    if (i < outputs_.size()) outputs_[i] = std::move(tensor);
  }
  Result<std::vector<Tensor>> runSubgraph(const Graph&, std::vector<Tensor>) override {
    return Status::Error("subgraphs cannot run outside a session");
  }
  int64_t maxLoopIterations() const override { return 0; }

  std::vector<Tensor>& outputs() { return outputs_; }

 private:
  const Node& node_;
  int64_t opset_;
  std::vector<const Tensor*> inputs_;
  std::vector<Tensor> outputs_;
  Tensor scratch_;
};

}  // namespace

Result<std::vector<Tensor>> EvaluateNode(const Node& node, int64_t opset, std::span<const Tensor* const> inputs) {
  if (node.hasSubgraphs()) return Status::Error("{}: nodes with subgraphs are not evaluated alone", node.describe());
  // Reference kernels only: folded values must not depend on the machine (see KernelRegistration).
  auto candidates = FindKernels(node.domain(), node.opType(), opset, KernelSet::kReferenceOnly);
  KernelInfo info{node, opset, {}, {}};
  DataType first_type = DataType::kUndefined;
  for (const Tensor* tensor : inputs) {
    info.input_types.push_back(tensor ? tensor->dtype() : DataType::kUndefined);
    info.constant_inputs.push_back(tensor);
    if (tensor && first_type == DataType::kUndefined) first_type = tensor->dtype();
  }
  const KernelRegistration* registration = SelectKernel(candidates, first_type);
  if (!registration)
    return Status::Error("{}: no kernel for op '{}' at opset {} with input type {}", node.describe(), node.opType(), opset,
                         DataTypeName(first_type));
  auto kernel = registration->create(info);
  if (!kernel.ok()) return kernel.status().WithContext(node.describe());
  StandaloneContext context(node, opset, inputs);
  Status status = (*kernel)->run(context);
  if (!status.ok()) return status.WithContext(node.describe());
  for (size_t i = 0; i < context.outputs().size(); ++i)
    if (node.output(i) && !context.outputs()[i].defined())
      return Status::Error("{}: the kernel produced no output {}", node.describe(), i);
  return std::move(context.outputs());
}

}  // namespace onnxkit::runtime
