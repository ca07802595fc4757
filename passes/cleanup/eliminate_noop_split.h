// eliminate-noop-split: removes Split into a single output that covers the whole axis.
//
// Before:  graph (float[2,3] x) => (float[2,3] y) { s = Split<axis = 1>(x)  y = Relu(s) }
// After:   graph (float[2,3] x) => (float[2,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Split in the default domain with exactly one output, which is present;
//  2. the split sizes, when given (the `split` attribute at opsets 1-12, the optional second input
//     at opsets 1 and >= 13, which must then be a constant), are one size equal to the input's
//     dimension on `axis`, which is declared; `num_outputs` (opset >= 18), when given, is 1;
//     without split sizes the one output is the whole tensor;
//  3. when the input's rank is declared, `axis` (default 0) lies in [-rank, rank);
//  4. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: one part of the whole axis is the tensor itself.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopSplit : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-split"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
