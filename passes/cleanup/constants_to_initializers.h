// constants-to-initializers: turns Constant nodes into initializers of their graph.
//
// Before:  graph (float[2] x) => (float[2] y) { c = Constant<value = float[2] {1, 2}>()  y = Add(x, c) }
// After:   graph (float[2] x) => (float[2] y) <float[2] c = {1, 2}> { y = Add(x, c) }
//
// Conditions, in every graph and subgraph:
//  1. the model's IR version is >= 4 (before, every initializer must also be a graph input, which
//     would add inputs to the model's interface);
//  2. a Constant in the default domain with one present output and exactly one attribute among
//     value (a tensor, kept as it is, external data included), value_float, value_floats,
//     value_int, value_ints, value_string, value_strings (scalars become rank-0 tensors, lists
//     1-D tensors of float, int64 or string, stored in the typed fields as the attribute had
//     them); sparse_value stays a Constant node (a sparse initializer would change how the model
//     stores it);
//  3. the output is not a graph output (an initializer that is directly a graph output is legal
//     ONNX, but some consumers handle it badly, and nothing is gained).
// The initializer takes the Constant's output name (ReplaceValue), so every reference stays.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class ConstantsToInitializers : public Pass {
 public:
  std::string_view name() const override { return "constants-to-initializers"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
