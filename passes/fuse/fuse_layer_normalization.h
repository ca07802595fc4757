// fuse-layer-normalization: turns the decomposed LayerNorm subgraph that PyTorch and TensorFlow
// exports produce into LayerNormalization (opset >= 17).
//
// Before:
//   mean = ReduceMean<axes = [-1]>(x)          (axes as an input from opset 18)
//   d    = Sub(x, mean)
//   sq   = Pow(d, two)                         (or Mul(d, d))
//   var  = ReduceMean<axes = [-1]>(sq)
//   ve   = Add(var, eps)                       (either operand order)
//   std  = Sqrt(ve)
//   n    = Div(d, std)                         (or Mul(d, Reciprocal(std)), either operand order)
//   g    = Mul(n, gamma)                       (optional, either operand order)
//   y    = Add(g, beta)                        (optional, either operand order)
// After:
//   y = LayerNormalization<axis = -k, epsilon = eps>(x, gamma', beta')
//
// The numerator of the Div may also be a second Sub(x, mean) (exports that recompute x - mean).
//
// Algebra: y = (x - E[x]) / sqrt(E[(x - E[x])^2] + eps) * gamma + beta over the last k axes, which
// is LayerNormalization's definition with axis = -k. gamma' and beta' are gamma and beta broadcast
// to the normalized shape (the trailing k dims of x); without a Mul, gamma' is ones; without an
// Add, the LayerNormalization has no bias. stash_type stays at its default 1 (float): statistics
// are computed in float, which for float16 is more precise than the decomposition, never less.
//
// Conditions:
//  1. the model imports the default domain at opset >= 17; every node is in the default domain;
//  2. both ReduceMeans have keepdims = 1 and reduce the same k >= 1 trailing axes, given by the
//     axes attribute before opset 18 and by a constant axes input from 18 (negative axes are
//     trailing by themselves; non-negative ones need the rank of x);
//  3. the Sub is Sub(x, mean) with x the first ReduceMean's input; the square is Pow(d, 2) with a
//     constant exponent exactly 2, or Mul(d, d); the second ReduceMean reduces the square;
//  4. eps is a constant with one element, of x's element type, which is float or float16 (not
//     double: LayerNormalization-17 computes the statistics in float or bfloat16 only, which would
//     lose precision in a double model);
//  5. every intermediate value (mean, sq, var, ve, std, the reciprocal, n, and g when the Add is
//     fused) is used only inside the pattern and is not a graph output; d is used only by the
//     square and the normalization;
//  6. the trailing k dims of x are statically known (from the type of x, d or n), so that gamma'
//     and beta' can be built with exactly the normalized shape;
//  7. gamma and beta (each fused only when this holds; otherwise the Mul/Add stays after the new
//     node) are constants of x's element type whose shape broadcasts into the normalized dims:
//     rank <= rank of x, dims outside the trailing k are 1, dims inside are 1 or equal to x's, so
//     the Mul/Add neither broadcasts over the other axes nor changes the output's shape;
//  8. constants eps and the exponent have rank 0, or rank <= the rank of x, so they do not widen
//     the output's rank either.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseLayerNormalization : public Pass {
 public:
  std::string_view name() const override { return "fuse-layer-normalization"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
