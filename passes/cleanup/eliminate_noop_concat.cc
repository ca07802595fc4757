#include "passes/cleanup/eliminate_noop_concat.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (node.inputCount() != 1) return "it has more than one input";
  if (!node.input(0) || node.outputCount() != 1) return "unexpected inputs or outputs";
  const Attribute* axis = node.attribute("axis");
  if (opset >= 4 && !axis) return "no axis (required from opset 4)";
  if (opset < 11 && axis && axis->i() < 0) return "a negative axis before opset 11";
  if (auto rank = node.input(0)->rank()) {
    if (*rank < 1) return "a scalar input";
    int64_t value = axis ? axis->i() : 1;  // Concat-1 defaults to 1
    if (!cleanup::NormalizeAxis(value, *rank)) return "the axis is out of range";
  }
  return "";
}

}  // namespace

Result<size_t> EliminateNoopConcat::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Concat")) continue;
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
