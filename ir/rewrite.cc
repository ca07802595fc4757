#include "ir/rewrite.h"

namespace onnxkit {

bool CanReplaceValue(const Value* old_value, const Value* new_value) {
  if (old_value == new_value) return false;
  if (!old_value->isGraphOutput()) return true;
  // new_value must be renamable to the output's name.
  return new_value->owner() == old_value->owner() && !new_value->isGraphInput() && !new_value->isGraphOutput();
}

bool ReplaceValue(Value* old_value, Value* new_value) {
  if (!CanReplaceValue(old_value, new_value)) return false;
  Graph& graph = *old_value->owner();
  graph.replaceAllUsesWith(old_value, new_value);
  if (old_value->isGraphOutput()) {
    for (size_t i = 0; i < graph.outputs().size(); ++i)
      if (graph.outputs()[i] == old_value) graph.setOutput(i, new_value);
    std::string output_name = old_value->name();
    graph.renameValue(old_value, graph.freshName(output_name));
    graph.renameValue(new_value, std::move(output_name));
  }
  return true;
}

}  // namespace onnxkit
