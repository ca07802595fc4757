// fuse-conv-add: folds an Add of a per-output-channel constant into the Conv's bias.
//
// Before:  c = Conv(x, W, B)   y = Add(c, k)        (or Add(k, c))
//          with k a constant of shape [M, 1, 1], [1, M, 1, 1], [1], [] ... (M = output channels)
// After:   y = Conv(x, W, B')
//
// Algebra: Conv(x, W, B)[n, m, ...] + k[m] = Conv(x, W, B + k)[n, m, ...], so B'[m] = B[m] + k[m]
// (B = 0 when absent; k[m] = k[0] for all m when k has no channel dim). Computed in double and
// rounded once; the result differs from the original only by rounding.
//
// Conditions:
//  1. Add is in the default domain at opset >= 7 (older Adds broadcast with axis/broadcast
//     attributes); the Conv's output has no other use and is not a graph output;
//  2. the Conv's weight has a known shape [M, C/group, k...] (constant or declared type), which
//     gives the output's rank r and channel count M;
//  3. k is a float or double constant that broadcasts into the Conv output [N, M, d1...] without
//     changing its shape: rank <= r and, right-aligned, every dim is 1 except the one on the
//     channel axis, which is 1 or M (so [2, M, 1, 1], [M, H, W] or a rank r+1 tensor do not apply);
//  4. B is absent, or a constant with M elements of k's type;
//  5. every B'[m] is finite (a sum that overflows would not be the original's result).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvAdd : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-add"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
