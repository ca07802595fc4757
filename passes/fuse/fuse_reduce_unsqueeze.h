// fuse-reduce-unsqueeze: turns a keepdims=0 reduction followed by an Unsqueeze of the reduced axes
// into a keepdims=1 reduction.
//
// Before:  t = ReduceMean<keepdims = 0>(x, axes = [1, 2])   y = Unsqueeze(t, axes = [1, 2])
// After:   y = ReduceMean<keepdims = 1>(x, axes = [1, 2])
//
// Why: keepdims = 0 removes the reduced axes a (of x's rank r); Unsqueeze re-inserts size-1 dims
// at its axes, which refer to its output of rank r. When both sets of axes, made non-negative
// with r, are equal, the dims come back exactly where keepdims = 1 would have left them.
//
// Applies to ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2,
// ReduceLogSum, ReduceLogSumExp, ReduceSumSquare (axes as attribute, or as input from opset 13
// for ReduceSum and 18 for the others), and ArgMax/ArgMin (a single `axis`).
//
// Conditions:
//  1. both nodes are in the default domain; the reduction has keepdims = 0 and its output is
//     used only by the Unsqueeze and is not a graph output;
//  2. the reduction's axes are known (attribute or constant input); absent or empty axes reduce
//     every axis, and then x's rank r must be known (with noop_with_empty_axes = 1 and no axes
//     the reduction is an identity: not applied);
//  3. the Unsqueeze's axes are known (attribute below opset 13, constant input from 13);
//  4. the two sets of axes are equal after normalizing negative axes with r (known from x's
//     constant or declared type when needed); neither repeats an axis.
// The reduction's output takes the Unsqueeze's declared type (it now has the kept dims).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseReduceUnsqueeze : public Pass {
 public:
  std::string_view name() const override { return "fuse-reduce-unsqueeze"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
