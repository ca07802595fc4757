// fuse-consecutive-unsqueezes: merges an Unsqueeze of an Unsqueeze into one Unsqueeze.
//
// Before:  t = Unsqueeze(x, [0])     y = Unsqueeze(t, [2])        (x: [A, B] -> t: [1, A, B])
// After:   y = Unsqueeze(x, [0, 2])                               (y: [1, A, 1, B])
//
// Algebra: Unsqueeze's axes refer to its output. The second inserts dims at a2 (normalized with
// y's rank r + |a1| + |a2|); y's other positions, in order R[0] < R[1] < ..., hold t's axes
// 0, 1, ... So t's new dims a1 (normalized with t's rank r + |a1|) sit at R[j] for j in a1, and
// the merged axes are a2 together with R[j] for each j in a1 (sorted, non-negative).
//
// Conditions:
//  1. both are Unsqueezes of the default domain, the first's output used only by the second (and
//     not a graph output);
//  2. the axes are known and non-empty: attribute `axes` below opset 13, a constant `axes` input
//     from 13;
//  3. negative axes need the rank of x (constant or declared type); all axes are in range and
//     not repeated.
// From opset 13 the merged axes become a new int64 initializer.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveUnsqueezes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-unsqueezes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
