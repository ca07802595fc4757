// fuse-consecutive-reshapes: replaces a Reshape of a Reshape (or of a Flatten) by one Reshape.
//
// Before:  t = Reshape(x, s1)   y = Reshape(t, s2)        (or t = Flatten(x))
// After:   y = Reshape(x, s2)
//
// Why: Reshape and Flatten keep the elements in order; the second Reshape's output shape depends
// only on s2, on the element count of its input (for a -1 entry), which t and x share, and on
// t's dims where s2 has a 0 entry (with allowzero = 0, a 0 copies the dim of the Reshape's own
// input: t's, not x's). So when s2 has no 0 entry, or the second Reshape has allowzero = 1 (a 0
// is a literal 0), reading x gives the same result. s1 does not matter and need not be constant.
//
// Conditions:
//  1. the second is a Reshape of the default domain; the first is a Reshape or Flatten of the
//     default domain producing its data input;
//  2. every use of the first's output is by a Reshape (so it goes away once they are rewritten),
//     and it is not a graph output;
//  3. s2 is known: the constant `shape` input (opset >= 5) or the `shape` attribute (opset < 5),
//     with no 0 entry unless the second has allowzero = 1 (opset >= 14).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveReshapes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-reshapes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
