// fuse-conv-mul: folds a Mul by a per-output-channel constant into the Conv's weights and bias.
//
// Before:  c = Conv(x, W, B)   y = Mul(c, k)        (or Mul(k, c))
//          with k a constant of shape [M, 1, 1], [1, M, 1, 1], [1], [] ... (M = output channels)
// After:   y = Conv(x, W', B')
//
// Algebra: Conv(x, W, B)[n, m, ...] * k[m] = Conv(x, W * k[m], B * k[m])[n, m, ...]:
//   W'[m, ...] = W[m, ...] * k[m]        B'[m] = B[m] * k[m]     (no B' when B is absent)
// (k[m] = k[0] for all m when k has no channel dim). Computed in double, rounded once to the
// weights' type; the result differs from the original only by rounding.
//
// Conditions:
//  1. Mul is in the default domain at opset >= 7 (older Muls broadcast with axis/broadcast
//     attributes); the Conv's output has no other use and is not a graph output;
//  2. W is a float or double constant [M, C/group, k...] used only by this Conv (the scaled copy
//     replaces it, never duplicates it); B is absent or a constant of W's type with M elements;
//  3. k is a constant of W's type that broadcasts into the Conv output [N, M, d1...] without
//     changing its shape: rank <= rank(W) and, right-aligned, every dim is 1 except the one on
//     the channel axis, which is 1 or M;
//  4. every k[m] is finite and every element of W' and B' is finite (inf * W would turn sums of
//     mixed signs into NaN where the original gives +-inf; an overflow is not the original result).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvMul : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-mul"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
