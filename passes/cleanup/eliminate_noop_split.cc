#include "passes/cleanup/eliminate_noop_split.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (node.outputCount() != 1) return "it has more than one output";
  if (!node.input(0) || !node.output(0)) return "unexpected inputs or outputs";
  if (node.inputCount() > 2) return "unexpected inputs";
  std::optional<std::vector<int64_t>> split;
  if (node.input(1)) {
    if (opset >= 2 && opset < 13) return "a split input at an opset that has none";
    split = cleanup::ConstantInts(node.input(1));
    if (!split) return "the split sizes are not a constant";
  } else if (opset < 13 && node.hasAttribute("split")) {
    split = node.getInts("split");
    if (!split) return "split is not a list of ints";
  }
  if (opset >= 13 && node.hasAttribute("split")) return "a split attribute at opset >= 13";
  if (opset >= 18 && node.hasAttribute("num_outputs") && node.getInt("num_outputs", 0) != 1)
    return "num_outputs is not 1";
  auto rank = node.input(0)->rank();
  int64_t axis = node.getInt("axis", 0);
  std::optional<int64_t> normalized;
  if (rank) {
    normalized = cleanup::NormalizeAxis(axis, *rank);
    if (!normalized) return "the axis is out of range";
  }
  if (split) {
    if (split->size() != 1) return "more than one split size";
    if (!normalized) return "split sizes are given and the input's rank is unknown";
    std::optional<int64_t> d = (*cleanup::DeclaredDims(node.input(0)))[static_cast<size_t>(*normalized)];
    if (!d) return "split sizes are given and the dimension is unknown";
    if ((*split)[0] != *d) return "the split size is not the whole dimension";
  }
  return "";
}

}  // namespace

Result<size_t> EliminateNoopSplit::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Split")) continue;
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
