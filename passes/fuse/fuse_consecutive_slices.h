// fuse-consecutive-slices: merges a Slice of a Slice over different axes into one Slice.
//
// Before:  t = Slice(x, starts1, ends1, axes1, steps1)   y = Slice(t, starts2, ends2, axes2, steps2)
// After:   y = Slice(x, starts1 ++ starts2, ends1 ++ ends2, axes1 ++ axes2, steps1 ++ steps2)
//
// Why: slicing an axis leaves every other axis's dim unchanged, so the second Slice clamps and
// steps exactly as it would on x when its axes differ from the first's; one Slice over the union
// of the axes does both.
//
// Conditions:
//  1. both are Slices of the default domain, the first's output used only by the second and not
//     a graph output;
//  2. starts, ends, axes and steps are known: constant int32/int64 inputs from opset 10 (axes
//     absent = 0, 1, ...; steps absent = 1), attributes below 10 (no steps);
//  3. the axes of the two Slices, made non-negative, are disjoint and not repeated (negative axes
//     need the rank of x); each Slice's starts/ends/axes/steps have the same length.
// From opset 10 the merged lists become new int64 initializers (steps only when either Slice had
// steps); below 10 they are attributes.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveSlices : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-slices"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
