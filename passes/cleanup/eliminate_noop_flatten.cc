#include "passes/cleanup/eliminate_noop_flatten.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (!node.input(0) || node.inputCount() != 1 || node.outputCount() != 1) return "unexpected inputs or outputs";
  auto dims = cleanup::DeclaredDims(node.input(0));
  if (!dims) return "the input's rank is unknown";
  if (dims->size() != 2) return "the input is not 2-D";
  int64_t axis = node.getInt("axis", 1);
  if (axis < 0 && opset >= 11) axis += 2;
  switch (axis) {
    case 1: return "";
    case 0: return (*dims)[0] == 1 ? "" : "axis 0 and the first dimension is not known to be 1";
    case 2: return (*dims)[1] == 1 ? "" : "axis 2 and the second dimension is not known to be 1";
    default: return "the axis is out of range";
  }
}

}  // namespace

Result<size_t> EliminateNoopFlatten::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Flatten")) continue;
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
