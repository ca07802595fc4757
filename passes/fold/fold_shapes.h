// fold-shapes: replaces shape computations whose result ONNX shape inference knows by constants.
//
// Before:  graph (float[1,3,8,8] x) => (y) {
//            s = Shape(x)  n = Gather<axis=0>(s, zero)  k = Unsqueeze(n, zero)  p = Concat<axis=0>(k, minus_one)
//            y = Reshape(x, p) }
// After:   graph (float[1,3,8,8] x) => (y) <int64[2] p = {1, -1}> { y = Reshape(x, p) }
//
// Applies to outputs of Shape, Size and the Gather/Slice/Concat/Cast/Squeeze/Unsqueeze/Add/Sub/Mul
// chains over them in the main graph, when libonnx's data propagation (run by this pass) computed
// every element: the needed dims are static even if others are symbolic (a [N,3,8,8] input still
// folds Shape(x)[1:] to {3,8,8}). The output must be typed int64 of rank 0 or 1 with that many
// elements. The replaced nodes are left for eliminate-dead-nodes.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FoldShapes : public Pass {
 public:
  std::string_view name() const override { return "fold-shapes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
