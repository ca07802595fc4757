// infer-shapes: records ONNX shape inference's element types and shapes in value_info.
//
// Before:  graph (float[1,3,8,8] x) => (y) { t = Relu(x)  y = Flatten(t) }
// After:   the same nodes; value_info gains float[1,3,8,8] t (and y's type when it was not declared).
//
// Conditions: libonnx knows the ops (schemas up to opset 17); values it cannot infer keep what
// they had. Graph input and output declarations are never changed. The algebra-free analysis the
// other passes read (static shapes for no-op detection, fusion conditions, shape folding).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class InferShapesPass : public Pass {
 public:
  std::string_view name() const override { return "infer-shapes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
