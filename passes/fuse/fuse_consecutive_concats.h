// fuse-consecutive-concats: flattens a Concat of Concats along the same axis.
//
// Before:  t = Concat<axis = 1>(b, c)   y = Concat<axis = 1>(a, t, d)
// After:   y = Concat<axis = 1>(a, b, c, d)
//
// Why: concatenation along one axis is associative; the inner Concat's block sits at the same
// place in y as its inputs do in the flattened list.
//
// Conditions:
//  1. both are Concats of the default domain; the inner Concat's output is used only by the
//     outer one (possibly several times: each occurrence is replaced) and is not a graph output;
//  2. the axes are the same: equal attributes, or equal after making them non-negative with the
//     rank (known from either Concat's inputs or outputs); below opset 4 an absent axis means 1.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveConcats : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-concats"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
