// eliminate-noop-flatten: removes Flatten of an input that already has the 2-D shape it produces.
//
// Before:  graph (float[N,8] x) => (float[N,8] y) { f = Flatten<axis = 1>(x)  y = Relu(f) }
// After:   graph (float[N,8] x) => (float[N,8] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Flatten in the default domain;
//  2. the input's rank is declared as 2, with dims [d0, d1];
//  3. `axis` (default 1; negative ones count from the end, from opset 11) is
//     - 1: the output is [d0, d1], known or not;
//     - 0: the output is [1, d0 * d1], the same only when d0 is known to be 1;
//     - 2: the output is [d0 * d1, 1], the same only when d1 is known to be 1;
//  4. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: Flatten is a reshape in row-major order, so the same shape means the same tensor.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopFlatten : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-flatten"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
