// fuse-skip-layer-normalization-ort: fuses the residual Add (and an Add of a bias) before a
// LayerNormalization over the last axis into ONNX Runtime's com.microsoft.SkipLayerNormalization.
//
// Before:  s = Add(a, b)   y = LayerNormalization<axis = -1, epsilon = e>(s, gamma, beta)
// After:   y, , , s = com.microsoft.SkipLayerNormalization<epsilon = e>(a, b, gamma, beta)
//
// Before:  t = Add(a, b)   s = Add(t, bias)   y = LayerNormalization<axis = -1>(s, gamma, beta)
// After:   y, , , s = com.microsoft.SkipLayerNormalization<epsilon = e>(a, b, gamma, beta, bias)
//
// SkipLayerNormalization (inputs input, skip, gamma, beta, bias; outputs output, mean,
// inv_std_var, input_skip_bias_sum) normalizes input + skip + bias over the last axis. Its 4th
// output is that sum: when s has other uses (the residual stream of a transformer goes on to the
// next block), they take it instead, so the Add disappears anyway. Outputs 1 and 2 are never
// written (ONNX Runtime's CPU kernel does not produce them).
//
// Conditions:
//  1. the LayerNormalization is in the default domain (ONNX's at opset >= 17, ONNX Runtime's
//     below, same semantics), normalizes the last axis only (axis = -1 or rank - 1), has
//     stash_type 1 (the default) and its Mean/InvStdDev outputs unused;
//  2. its input s is the output of a default-domain Add in the same graph; other uses of s (in
//     this graph or nested ones) and s being a graph output are served by output 3;
//  3. a and b have the same known shape (equal dims or equal symbolic names), of rank 2 or 3
//     (what ONNX Runtime accepts), with a known last dimension H, and float type (ONNX Runtime's
//     schema rejects double);
//  4. gamma (and beta) are 1-D tensors of H elements of the same type;
//  5. bias: s = Add(t, bias) or Add(bias, t) with bias a 1-D tensor of H elements of the same
//     type and t = Add(a, b) in the same graph used only by that Add; otherwise s = Add(a, b);
//  6. the model imports com.microsoft at version 1 or not at all (the pass adds the import).
//
// The sum is computed as (a + b) + bias in that order, as the original; ONNX Runtime's kernel
// then computes the statistics in the element type as E[s^2] - E[s]^2, ours in double.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseSkipLayerNormalizationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-skip-layer-normalization-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
