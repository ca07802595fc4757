// fuse-layer-normalization-ort: turns the decomposed LayerNorm subgraph (as PyTorch exports
// nn.LayerNorm below opset 17) into LayerNormalization at opsets < 17. ONNX defines
// LayerNormalization from opset 17 only; ONNX Runtime registers its own LayerNormalization in the
// default domain from version 1 with the same semantics (inputs X, Scale, B; attributes axis,
// epsilon, stash_type), so a model at opset 14 may use it. At opset >= 17 the standard
// fuse-layer-normalization does this; this pass leaves such models alone.
//
// Before:  mean = ReduceMean<axes = [-1]>(x)   d = Sub(x, mean)   p = Pow(d, 2.0)
//          var = ReduceMean<axes = [-1]>(p)    v = Add(var, eps)  s = Sqrt(v)
//          n = Div(d, s)   m = Mul(n, gamma)   y = Add(m, beta)
// After:   y = LayerNormalization<axis = -1, epsilon = eps>(x, gamma, beta)
//
// Algebra: y = (x - E[x]) / sqrt(E[(x - E[x])^2] + eps) * gamma + beta over the last axis, which
// is LayerNormalization's definition with axis = -1 (its statistics in float, as stash_type 1
// says; the decomposed form computes them in x's type: the results differ by rounding).
//
// Accepted variants: Mul(d, d) for Pow(d, 2); commuted Add(eps, var), Mul(gamma, n),
// Add(beta, m); no beta Add (then y = m and the LayerNormalization has no B).
//
// Conditions:
//  1. the default domain's opset is below 17; every node of the pattern is in the default
//     domain and in the same graph;
//  2. both ReduceMeans reduce exactly the last axis (axes = [-1] or [rank - 1], rank of x known)
//     with keepdims = 1, the first of x, the second of p; Sub computes x - mean of that same x;
//  3. every intermediate value is used only inside the pattern: mean by the Sub; d by the Pow (or
//     the Mul(d, d)) and the Div; p, var, v, s, n each by the next node; m by the beta Add when
//     that is fused; x and the final output may have any uses;
//  4. x is float or double with rank >= 1 and a known last dimension H; gamma (and beta) have
//     x's element type and the known shape [H] (so neither broadcasts x to another shape);
//  5. the exponent is a constant 2 and eps a constant >= 0 with one element each, of rank 0 or at
//     most x's rank; eps becomes the float epsilon attribute.
//
// The LayerNormalization's output keeps the name of the pattern's output.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseLayerNormalizationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-layer-normalization-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
