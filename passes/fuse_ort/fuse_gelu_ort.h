// fuse-gelu-ort: turns the decomposed GELU subgraphs into ONNX Runtime's com.microsoft Gelu and
// FastGelu, and folds an Add of a bias before them into BiasGelu / FastGelu's bias input. Unlike
// fuse-gelu (ONNX's Gelu, opset >= 20), this works at any opset.
//
// Erf form (as PyTorch exports nn.GELU()):
//   Before:  d = Div(x, 1.4142135)   e = Erf(d)   a = Add(e, 1.0)   m = Mul(x, a)   y = Mul(m, 0.5)
//   After:   y = com.microsoft.Gelu(x)                        y = 0.5 * x * (1 + erf(x / sqrt(2)))
// Tanh form (nn.GELU(approximate="tanh"), HF's gelu_new):
//   Before:  x3 = Pow(x, 3.0)   m = Mul(0.044715, x3)   s = Add(x, m)   u = Mul(0.7978846, s)
//            t = Tanh(u)   a = Add(t, 1.0)   p = Mul(x, a)   y = Mul(p, 0.5)
//   After:   y = com.microsoft.FastGelu(x)
//            y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))
// Bias (run after the two above, also on Gelu/FastGelu nodes already in the model):
//   Before:  v = Add(h, bias)   y = com.microsoft.Gelu(v)       (or FastGelu(v))
//   After:   y = com.microsoft.BiasGelu(h, bias)               (or FastGelu(h, bias))
//
// Accepted variants: the three factors x, 0.5 and (1 + erf/tanh) of the final product in any
// arrangement of the two Muls; commuted Add and Mul operands; Mul(x, 0.70710678) for the Div by
// sqrt(2); x^3 as Pow(x, 3) (float or integer exponent) or Mul(x, Mul(x, x)) in either order.
//
// Conditions:
//  1. every node of the pattern is in the default domain and in the same graph, and every
//     intermediate value is used only by the next node of the pattern (one use, not a graph
//     output); x itself may have other uses;
//  2. x (or the output) is known to be float (ONNX Runtime's CPU kernels are float only);
//  3. each constant is a float constant with one element, within a relative 1e-6 of its value
//     (0.5, 1, sqrt(2) or 1/sqrt(2), sqrt(2/pi) = 0.7978845608, 0.044715, 3), whose rank is 0 or
//     at most x's known rank, so that broadcasting it leaves x's shape (the fused op's output has
//     x's shape);
//  4. bias: the Add's output is used only by the Gelu/FastGelu (which has no bias yet), one input
//     h is float with a known last dimension H, the other is a float 1-D tensor of H elements
//     (ONNX Runtime's BiasGelu/FastGelu require exactly that);
//  5. the model imports com.microsoft at version 1 or not at all (the pass adds the import).
//
// The fused node's output keeps the name of the pattern's output.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseGeluOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-gelu-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
