#include "passes/fold/infer_shapes.h"

#include "passes/analysis/shape_inference.h"

namespace onnxkit {

Result<size_t> InferShapesPass::run(Model& model) { return InferShapes(model).values_changed; }

}  // namespace onnxkit
