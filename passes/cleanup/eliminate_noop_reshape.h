// eliminate-noop-reshape: removes Reshape to the shape its input already has.
//
// Before:  graph (float[N,3] x) => (float[N,3] y) <int64[2] s = {0, 3}> { r = Reshape(x, s)  y = Relu(r) }
// After:   graph (float[N,3] x) => (float[N,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Reshape in the default domain; the target shape is a constant 1-D int64 input (opset >= 5)
//     or the `shape` attribute (opsets 1-4);
//  2. the input's rank is declared and equals the target's length;
//  3. every target entry t[i] gives the input's dimension d[i]:
//     - t[i] > 0: d[i] is known and equals t[i];
//     - t[i] = 0 without allowzero (allowzero = 0 or opset < 14): copies d[i], known or not;
//     - t[i] = 0 with allowzero = 1: d[i] is known to be 0;
//     - t[i] = -1 (at most one): the other entries satisfy the rules above and the output dims they
//       give are all known and non-zero, so -1 is inferred as exactly d[i] (known or not);
//       a zero among them would make -1 ambiguous;
//  4. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: Reshape keeps the row-major element order, so a reshape to the same dims is the identity.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopReshape : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-reshape"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
