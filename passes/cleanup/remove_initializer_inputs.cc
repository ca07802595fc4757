#include "passes/cleanup/remove_initializer_inputs.h"

namespace onnxkit {
Result<size_t> RemoveInitializerInputs::run(Model& model) {
  if (model.irVersion() < 4) return size_t{0};
  Graph& graph = model.graph();
  size_t removed = 0;
  // Backwards, so that the indices of the inputs still to visit do not shift.
  for (size_t i = graph.inputs().size(); i-- > 0;) {
    const Value* input = graph.inputs()[i];
    if (!input->isInitializer()) continue;
    graph.removeInput(i);
    ++removed;
  }
  return removed;
}

}  // namespace onnxkit
