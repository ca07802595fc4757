// ONNX shape inference (libonnx, with data propagation) applied to the IR: inferred element types
// and shapes become the values' types and are listed in value_info, so that later passes (and
// other tools reading the model) see them. libonnx 1.12 knows operator schemas up to opset 17;
// nodes of newer opsets or unknown domains get no inferred outputs (inference continues around them).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

struct ShapeInferenceResult {
  size_t values_changed = 0;  // values of the IR whose type was added or refined
  // Values of the main graph whose contents data propagation computed completely (shape tensors:
  // Shape, and Gather/Slice/Concat/Cast/Unsqueeze/... chains over them), as int64 values.
  std::map<std::string, std::vector<int64_t>> known_shape_values;
  // The inferred type of every main-graph value libonnx typed, by name.
  std::map<std::string, onnx::TypeProto> main_graph_types;
};

// Never fails: a model libonnx cannot infer is left as it was (values_changed = 0). With
// `record_in_model` false the model is not touched (analysis only).
ShapeInferenceResult InferShapes(Model& model, bool record_in_model = true);

}  // namespace onnxkit
