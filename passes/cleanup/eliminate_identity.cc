#include "passes/cleanup/eliminate_identity.h"

#include "ir/rewrite.h"

namespace onnxkit {
namespace {

bool IsConstantFalse(const Value* value) {
  if (!value) return true;  // absent training_mode means inference
  if (!value->isConstant()) return false;
  const Tensor& tensor = *value->initializer();
  return tensor.dtype() == DataType::kBool && tensor.elementCount() == 1 && tensor.ElementAsInt64(0) == 0;
}

bool IsInferenceDropout(const Node& node, int64_t opset) {
  if (!node.is("Dropout") || node.inputCount() < 1) return false;
  if (Value* mask = node.output(1); mask && (mask->hasUses() || mask->isGraphOutput())) return false;
  if (opset >= 12) return IsConstantFalse(node.input(2));
  if (opset >= 7) return true;
  return node.getInt("is_test", 0) != 0;
}

bool PassesInputThrough(const Node& node, int64_t opset) {
  if (node.is("Identity")) return node.inputCount() == 1 && node.outputCount() == 1;
  return IsInferenceDropout(node, opset);
}

}  // namespace

Result<size_t> EliminateIdentity::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!PassesInputThrough(*node, opset)) continue;
      Value* input = node->input(0);
      Value* output = node->output(0);
      if (!input || !output || !ReplaceValue(output, input)) continue;
      graph.removeNode(node);
      ++removed;
    }
  });
  return removed;
}

}  // namespace onnxkit
