// fuse-gelu: turns the decomposed erf and tanh GELU subgraphs into Gelu (opset >= 20).
//
// Before (erf form, as PyTorch exports nn.GELU()):
//   u = Div(x, c_sqrt2)                  (or Mul(x, c_inv_sqrt2), either operand order)
//   e = Erf(u)
//   a = Add(e, c_one)                    (either operand order)
//   p = Mul(x, a)
//   y = Mul(p, c_half)                   (the halving may come first: Mul(Mul(x, c_half), a) or
//                                         Mul(x, Mul(a, c_half)); a halving is Mul by 0.5 or Div
//                                         by 2; Mul operands in either order)
// After:
//   y = Gelu<approximate = "none">(x)
//
// Before (tanh form):
//   c = Pow(x, c_three)                  (or Mul(Mul(x, x), x) in either nesting)
//   t = Mul(c, c_0_044715)
//   s = Add(x, t)
//   v = Mul(s, c_sqrt_2_over_pi)
//   h = Tanh(v)
//   a = Add(h, c_one)
//   y = ... the same three-factor product 0.5 * x * a as above
// After:
//   y = Gelu<approximate = "tanh">(x)
//
// Algebra: Gelu(x) = 0.5 x (1 + erf(x / sqrt 2)), and with approximate = "tanh"
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))): the subgraphs compute exactly these.
//
// Conditions:
//  1. the model imports the default domain at opset >= 20 and every node is in the default domain;
//  2. every intermediate value is used only by the next node of the pattern and is not a graph
//     output (x itself may have other uses); all nodes are in one graph;
//  3. each constant is a one-element float16/float/double/bfloat16 tensor, and has rank 0 or rank
//     <= the declared rank of x (so that it does not widen the result);
//  4. the constants 1, 0.5, 2 (the halving Div) and 3 (the Pow exponent) are exact; sqrt 2, 1/sqrt 2,
//     sqrt(2/pi) and 0.044715 may differ from the true value by a relative 1e-4 (exporters write
//     them with 5 to 8 digits), or be the true value rounded to the element type (float16 and
//     bfloat16 cannot come within 1e-4); Gelu then uses the exact values, so the result changes by
//     at most that much relative to the model's approximation of the same function.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseGelu : public Pass {
 public:
  std::string_view name() const override { return "fuse-gelu"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
