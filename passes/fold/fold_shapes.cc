#include "passes/fold/fold_shapes.h"

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/analysis/shape_inference.h"

namespace onnxkit {

Result<size_t> FoldShapes::run(Model& model) {
  ShapeInferenceResult inference = InferShapes(model, /*record_in_model=*/false);
  if (inference.known_shape_values.empty()) return size_t{0};
  size_t folded = 0;
  Graph& graph = model.graph();
  for (Node* node : graph.nodes()) {
    if (!node->isOnnxDomain() || node->is("Constant")) continue;
    for (size_t i = 0; i < node->outputCount(); ++i) {
      Value* output = node->output(i);
      if (!output || (!output->hasUses() && !output->isGraphOutput()) || ConstantTensor(output)) continue;
      auto known = inference.known_shape_values.find(output->name());
      if (known == inference.known_shape_values.end()) continue;
      auto type = inference.main_graph_types.find(output->name());
      bool int64_vector = type != inference.main_graph_types.end() && type->second.has_tensor_type() &&
                          type->second.tensor_type().elem_type() == static_cast<int32_t>(DataType::kInt64) &&
                          type->second.tensor_type().has_shape() && type->second.tensor_type().shape().dim_size() <= 1;
      if (!int64_vector) {
        Explain(name(), *node, "the computed shape value is not typed int64 of rank 0 or 1");
        continue;
      }
      std::optional<int64_t> rank = type->second.tensor_type().shape().dim_size();
      const std::vector<int64_t>& values = known->second;
      if (*rank == 0 && values.size() != 1) continue;
      std::vector<int64_t> dims;
      if (*rank == 1) dims.push_back(static_cast<int64_t>(values.size()));
      Value* constant = graph.addInitializer(output->name(), Tensor::FromValues<int64_t>(DataType::kInt64, dims, values));
      if (ReplaceValue(output, constant)) ++folded;
      else graph.eraseValue(constant);
    }
  }
  return folded;
}

}  // namespace onnxkit
