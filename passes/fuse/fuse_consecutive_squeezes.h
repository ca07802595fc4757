// fuse-consecutive-squeezes: merges a Squeeze of a Squeeze into one Squeeze.
//
// Before:  t = Squeeze(x, [1])      y = Squeeze(t, [2])          (x: [A, 1, B, 1, C])
// After:   y = Squeeze(x, [1, 3])
//
// Algebra: the second Squeeze's axes refer to t, whose axes are x's axes without a1, in order.
// So axis b of t is x's axis kept[b], where kept lists x's axes not in a1; the merged axes are
// a1 together with kept[b] for each b in a2 (sorted, non-negative).
// When the second Squeeze has no axes (it removes every dim of size 1), the merged Squeeze has
// no axes either: the dims a1 removes have size 1 too.
//
// Conditions:
//  1. both are Squeezes of the default domain, the first's output used only by the second (and
//     not a graph output);
//  2. the axes are known: attribute `axes` below opset 13, a constant `axes` input from 13;
//     the first has non-empty axes (without axes it removes every dim of size 1, so that t has
//     none left for explicit axes of the second);
//  3. negative axes need the rank of x (constant or declared type); all axes are in range and
//     not repeated.
// From opset 13 the merged axes become a new int64 initializer.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveSqueezes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-squeezes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
