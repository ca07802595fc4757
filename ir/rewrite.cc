#include "ir/rewrite.h"

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

}  // namespace onnxkit
