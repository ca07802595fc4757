#include "ir/rewrite.h"

#include <unordered_set>
#include <vector>

namespace onnxkit {

namespace {
bool Renamable(const Value* old_value, const Value* new_value) {
  return new_value->owner() == old_value->owner() && !new_value->isGraphInput() && !new_value->isGraphOutput();
}
}  // namespace

bool CanReplaceValue(const Value* old_value, const Value* new_value) {
  if (old_value == new_value) return false;
  return !old_value->isGraphOutput() || Renamable(old_value, new_value);
}

bool ReplaceValue(Value* old_value, Value* new_value) {
  if (!CanReplaceValue(old_value, new_value)) return false;
  Graph& graph = *old_value->owner();
  bool rename = Renamable(old_value, new_value);
  graph.replaceAllUsesWith(old_value, new_value);
  if (old_value->isGraphOutput()) {
    for (size_t i = 0; i < graph.outputs().size(); ++i)
      if (graph.outputs()[i] == old_value) graph.setOutput(i, new_value);
  }
  if (rename) {
    std::string name = old_value->name();
    graph.renameValue(old_value, graph.freshName(name));
    graph.renameValue(new_value, std::move(name));
  }
  return true;
}

size_t RemoveDeadProducers(Value* value) {
  // Nodes, not values, are queued: removing a multi-output node erases all its outputs. A node
  // queued twice is skipped by address once removed (nothing is allocated meanwhile).
  std::unordered_set<const Node*> removed;
  std::vector<Node*> pending;
  if (value && value->producer()) pending.push_back(value->producer());
  while (!pending.empty()) {
    Node* node = pending.back();
    pending.pop_back();
    if (removed.count(node)) continue;
    bool dead = true;
    for (const Value* output : node->outputs())
      if (output && (output->hasUses() || output->isGraphOutput())) dead = false;
    if (!dead) continue;
    for (Value* input : node->inputs())
      if (input && input->producer() && input->producer()->owner() == node->owner()) pending.push_back(input->producer());
    node->owner()->removeNode(node);
    removed.insert(node);
  }
  return removed.size();
}

}  // namespace onnxkit
