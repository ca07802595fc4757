// eliminate-identity: removes nodes that pass their input through unchanged.
//
// Before:  graph (x) => (y) { t = Identity(x)  y = Relu(t) }
// After:   graph (x) => (y) { y = Relu(x) }
//
// Applies to, in every graph and subgraph:
//  1. Identity (default domain);
//  2. Dropout in inference mode: opset >= 12 when input 2 (training_mode) is absent or a constant
//     false; opset 7-11 always; opset < 7 when is_test = 1. Its mask output must be unused.
// When the removed node's output is a graph output, its input takes the output's name. That is
// impossible when the input is itself a graph input or output, or a value of an enclosing graph;
// then the node stays, so graph input and output names and types never change.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateIdentity : public Pass {
 public:
  std::string_view name() const override { return "eliminate-identity"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
