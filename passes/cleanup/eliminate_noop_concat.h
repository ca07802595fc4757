// eliminate-noop-concat: removes Concat of a single input.
//
// Before:  graph (float[2,3] x) => (float[2,3] y) { c = Concat<axis = 1>(x)  y = Relu(c) }
// After:   graph (float[2,3] x) => (float[2,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Concat in the default domain with exactly one input, which is present;
//  2. `axis` is given (required from opset 4; Concat-1 defaults to 1), and when the input's rank is
//     declared, the rank is >= 1 and `axis` lies in [-rank, rank) (a Concat the runtime would
//     reject stays, to fail as it did);
//  3. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: concatenating one tensor gives that tensor.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopConcat : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-concat"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
