// fuse-relu-clip: merges a Relu and a Clip that follow each other into one Clip.
//
// Before:  t = Relu(x)              y = Clip(t, lo, hi)
// After:   y = Clip(x, max(0, lo), hi)
// Before:  t = Clip(x, lo, hi)      y = Relu(t)
// After:   y = Clip(x, max(0, lo), max(0, hi))
// (an absent lo counts as -inf, so max(0, lo) = 0; an absent hi stays absent).
//
// Algebra: Relu(x) = max(x, 0) and Clip(x, lo, hi) = min(max(x, lo), hi).
//   Clip(Relu(x), lo, hi) = min(max(x, 0, lo), hi).
//   Relu(Clip(x, lo, hi)) = max(min(max(x, lo), hi), 0): for hi >= 0 this is min(max(x, lo, 0), hi);
//   for hi < 0 it is 0, and so is min(max(x, lo, 0), max(0, hi)) = min(>= 0, 0). (When lo > hi,
//   Clip gives hi everywhere, and both forms give max(0, hi).)
//
// Conditions:
//  1. Relu and Clip are in the default domain; the first node's output is used only by the
//     second and is not a graph output;
//  2. Clip's bounds are known: attributes min/max below opset 11 (absent = no bound), constant
//     scalar inputs (or absent) from 11;
//  3. the element type is known from the bounds or the values: float, double, float16, bfloat16
//     or a signed integer type (for new bound tensors).
// Differences: only the sign of a zero result may differ (+0 vs -0), as between Relu kernels.
// From opset 11 changed bounds become new scalar initializers.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseReluClip : public Pass {
 public:
  std::string_view name() const override { return "fuse-relu-clip"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
