// remove-initializer-inputs: stops listing initializers as graph inputs (IR version >= 4), so that
// they become constants that folding and fusions can use.
//
// Before:  <ir_version: 8, opset_import: ["" : 17]>
//          graph (float[2] x, float[2] w) => (float[2] y) <float[2] w = {1, 2}> { y = Add(x, w) }
// After:   <ir_version: 8, opset_import: ["" : 17]>
//          graph (float[2] x) => (float[2] y) <float[2] w = {1, 2}> { y = Add(x, w) }
//
// Conditions:
//  1. the model's IR version is >= 4 (before, every initializer must also be a graph input);
//  2. a graph input of the main graph that has a (dense) initializer, its default value;
//  3. never in subgraphs: their inputs are what the operator (Loop, Scan) feeds them.
//
// This changes the model's interface: those inputs were optional (a caller could feed another
// value in place of the default), and afterwards they can no longer be fed. That is the choice
// onnx-simplifier makes too, and the reason the pass exists: as long as an initializer is an input,
// nothing may treat it as a constant. The pass is part of the cleanup group; a user who needs the
// overridable inputs runs onnx-opt with an explicit pass list without it.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class RemoveInitializerInputs : public Pass {
 public:
  std::string_view name() const override { return "remove-initializer-inputs"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
