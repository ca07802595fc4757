// eliminate-unsqueeze-squeeze: removes an Unsqueeze/Squeeze pair that gives back its input.
//
// Before:  graph (float[2,3] x) => (float[2,3] y)
//          { u = Unsqueeze<axes = [0]>(x)  s = Squeeze<axes = [0]>(u)  y = Relu(s) }
// After:   graph (float[2,3] x) => (float[2,3] y) { y = Relu(x) }
//
// Before:  graph (float[2,1,3] x) => (float[2,1,3] y)
//          { s = Squeeze<axes = [1]>(x)  u = Unsqueeze<axes = [1]>(s)  y = Relu(u) }
// After:   graph (float[2,1,3] x) => (float[2,1,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph (axes are the attribute at opsets < 13 and a constant
// int input from opset 13; negative axes from opset 11 only; no axis may repeat):
//  A. s = Squeeze(u) with u = Unsqueeze(x, axes U), u having rank R = rank(x) + |U|:
//     1. Squeeze has axes S, and S = U as sets of axes of R (when R is unknown, because neither x's
//        nor u's rank is declared, the lists must be equal as written);
//     2. or Squeeze has no axes (it removes every dimension of size 1), and every dimension of x is
//        known and is not 1, so it removes exactly the inserted ones.
//  B. u = Unsqueeze(s, axes U) with s = Squeeze(x): x's dims are declared, rank R;
//     1. Squeeze has axes S, every dimension of x at S is known to be 1, and U = S as sets of axes
//        of R (the Unsqueeze output has rank R again);
//     2. or Squeeze has no axes, every dimension of x is known, and U (not empty) is exactly the set
//        of positions whose dimension is 1.
//  In both, the second node's output can take x's place (when it is a graph output, x must be a
//  value of the same graph that is neither a graph input nor a graph output). The first node goes
//  too when nothing else uses it and it is in the same graph (one of an enclosing graph is left to
//  eliminate-dead-nodes); otherwise it stays for its other users.
// Algebra: inserting size-1 dimensions and removing the same ones (or the reverse) keeps every
// element in row-major order: the result is x.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateUnsqueezeSqueeze : public Pass {
 public:
  std::string_view name() const override { return "eliminate-unsqueeze-squeeze"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
