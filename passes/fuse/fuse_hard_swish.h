// fuse-hard-swish: turns x * HardSigmoid(x) (alpha 1/6, beta 1/2) and x * Clip(x + 3, 0, 6) / 6
// into HardSwish (opset >= 14).
//
// Before:
//   s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
//   y = Mul(x, s)                                    (either operand order)
// or s = any decomposed hard sigmoid that fuse-hard-sigmoid recognizes, e.g. Div(Clip(Add(x, 3), 0, 6), 6)
// or (PyTorch's x * relu6(x + 3) / 6, evaluated left to right):
//   v = Add(x, 3)                                    (either order)
//   c = Clip(v, 0, 6)                                (or Min(Max(v, 0), 6), Max(Min(v, 6), 0), Min(Relu(v), 6))
//   p = Mul(x, c)                                    (either order)
//   y = Div(p, 6)                                    (or Mul(p, 1/6), either order)
// After:
//   y = HardSwish(x)
//
// Algebra: HardSwish(x) = x max(0, min(1, x / 6 + 1/2)) = x HardSigmoid(x; 1/6, 1/2)
//          = x clamp(x + 3, 0, 6) / 6 = (x clamp(x + 3, 0, 6)) / 6.
//
// Conditions:
//  1. the model imports the default domain at opset >= 14 and every node is in the default domain;
//  2. the multiplied x is the same value the hard sigmoid reads;
//  3. every intermediate value is used only by the next node of the pattern and is not a graph
//     output; all nodes are in one graph;
//  4. a HardSigmoid node has alpha = 1/6 within float rounding (relative 2^-23) and beta = 0.5, and
//     x's declared element type is float or float16 (in a double model the float attribute 1/6
//     is not HardSwish's exact 1/6, so that would change results beyond rounding);
//  5. decomposed forms: the conditions of fuse-hard-sigmoid (one-element constants of one
//     float16/float/double type that do not widen x's rank, clamp from exactly 0, exact scale),
//     and the resulting alpha and beta are 1/6 and 1/2 within the element type's rounding.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseHardSwish : public Pass {
 public:
  std::string_view name() const override { return "fuse-hard-swish"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
