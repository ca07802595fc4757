#include "passes/cleanup/eliminate_noop_transpose.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node) {
  const Value* input = node.input(0);
  if (!input || node.outputCount() != 1) return "unexpected inputs or outputs";
  std::optional<int64_t> rank = input->rank();
  auto perm = node.getInts("perm");
  if (node.hasAttribute("perm") && !perm) return "perm is not a list of ints";
  // An empty perm is read as absent by some runtimes: treat it so (identity only up to rank 1).
  if (!perm || perm->empty()) {
    if (!rank) return "no perm (reverse) and the input's rank is unknown";
    if (*rank > 1) return "no perm: it reverses the axes of a tensor of rank > 1";
    return "";
  }
  if (rank && static_cast<int64_t>(perm->size()) != *rank) return "perm does not match the input's rank";
  for (size_t i = 0; i < perm->size(); ++i)
    if ((*perm)[i] != static_cast<int64_t>(i)) return "perm is not the identity";
  return "";
}

}  // namespace

Result<size_t> EliminateNoopTranspose::run(Model& model) {
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Transpose")) continue;
      std::string why = WhyNotNoop(*node);
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
