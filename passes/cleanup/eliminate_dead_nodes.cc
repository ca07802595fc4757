#include "passes/cleanup/eliminate_dead_nodes.h"

#include <unordered_set>

namespace onnxkit {
namespace {

size_t EliminateInGraph(Graph& graph) {
  size_t removed = 0;
  for (Node* node : graph.nodes())
    node->forEachSubgraph([&](Graph& subgraph) { removed += EliminateInGraph(subgraph); });

  auto order = graph.topologicalOrder();
  if (!order.ok()) return removed;

  std::unordered_set<const Node*> live;
  std::vector<const Node*> work;
  auto mark = [&](const Value* value) {
    if (value && value->owner() == &graph && value->producer() && live.insert(value->producer()).second)
      work.push_back(value->producer());
  };
  for (const Value* output : graph.outputs()) mark(output);
  while (!work.empty()) {
    const Node* node = work.back();
    work.pop_back();
    for (const Value* input : node->inputs()) mark(input);
    if (node->hasSubgraphs())
      for (const Value* input : node->outerScopeInputs()) mark(input);
  }

  // Consumers before producers, so that every removed node's outputs are already unused.
  for (auto it = order->rbegin(); it != order->rend(); ++it) {
    if (live.count(*it)) continue;
    graph.removeNode(*it);
    ++removed;
  }
  for (Value* value : graph.values()) {
    if (value->producer() || value->hasUses() || value->isGraphInput() || value->isGraphOutput()) continue;
    graph.eraseValue(value);  // unused initializer, or value_info of something gone
    ++removed;
  }
  return removed;
}

}  // namespace

Result<size_t> EliminateDeadNodes::run(Model& model) { return EliminateInGraph(model.graph()); }

}  // namespace onnxkit
