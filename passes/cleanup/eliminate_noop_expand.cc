#include "passes/cleanup/eliminate_noop_expand.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (opset < 8) return "Expand before opset 8";
  if (!node.input(0) || node.inputCount() != 2 || node.outputCount() != 1) return "unexpected inputs or outputs";
  TensorPtr tensor = ConstantTensor(node.input(1));
  if (!tensor) return "the shape is not a constant";
  if (tensor->dtype() != DataType::kInt64 || tensor->rank() != 1) return "the shape is not a 1-D int64 tensor";
  std::vector<int64_t> shape = *cleanup::ConstantInts(node.input(1));
  auto dims = cleanup::DeclaredDims(node.input(0));
  if (!dims) return "the input's rank is unknown";
  if (shape.size() > dims->size()) return "it adds dimensions";
  size_t offset = dims->size() - shape.size();
  for (size_t j = 0; j < shape.size(); ++j) {
    if (shape[j] == 1) continue;
    const std::optional<int64_t>& d = (*dims)[offset + j];
    if (!d) return fmt::format("dimension {} is unknown and the shape asks for {}", offset + j, shape[j]);
    if (*d != shape[j]) return fmt::format("dimension {} changes", offset + j);
  }
  return "";
}

}  // namespace

Result<size_t> EliminateNoopExpand::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Expand")) continue;
      std::string why = WhyNotNoop(*node, opset);
      if (why.empty()) why = cleanup::BypassNode(graph, *node, node->input(0));
      if (!why.empty()) {
        Explain(name(), *node, why);
        continue;
      }
      ++removed;
    }
  });
  return removed;
}

}  // namespace onnxkit
