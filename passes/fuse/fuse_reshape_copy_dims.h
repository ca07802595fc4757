// fuse-reshape-copy-dims: a Reshape whose target is computed from its own input's dims becomes a
// Reshape to a constant that copies those dims with 0 (ONNX Runtime's ReshapeFusion does the same).
//
// Before (how PyTorch exports x.view(x.size(0), x.size(1), 12, 64)):
//   s = Shape(x)
//   b = Unsqueeze(Gather(s, 0), [0])     t = Unsqueeze(Gather(s, 1), [0])
//   shape = Concat<axis = 0>(b, t, [12], [64])
//   y = Reshape(x, shape)
// After:
//   y = Reshape(x, [0, 0, 12, 64])       (the Shape/Gather/Concat chain goes too, as far as
//                                         nothing else uses it, so later patterns do not see its uses)
//
// Algebra: with allowzero = 0 (the default, and the only meaning before opset 14) a 0 in the
// target copies the input's dim at the same position, which is exactly what Gather(Shape(x), j)
// at position j gives.
//
// The target is traced through Concat (axis 0), Unsqueeze (axis 0 of a scalar), Gather
// (axis 0, constant indices) and Slice (constant starts/ends, step 1) of Shape(v), and constant
// int64 pieces. Each traced element at output position j must be
//  - a constant (kept), or
//  - dim j of the Reshape's own input x (becomes 0), or
//  - dim i of another value whose declared dim i is the same symbolic dim as x's dim j, or a known
//    value (becomes 0, or the value).
// Conditions: default-domain Reshape at opset >= 5 with allowzero absent or 0 (so constant 0s in
// the target already copy dims); the rank of each traced Shape's input is known (for negative
// indices and Shape's start/end). No -1 is introduced: with an empty input it would be ambiguous.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseReshapeCopyDims : public Pass {
 public:
  std::string_view name() const override { return "fuse-reshape-copy-dims"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
