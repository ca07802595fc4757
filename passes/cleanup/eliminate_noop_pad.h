// eliminate-noop-pad: removes Pad whose pads are all zero.
//
// Before:  graph (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> { t = Pad(x, p)  y = Relu(t) }
// After:   graph (float[2,3] x) => (float[2,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Pad in the default domain, with its pads as the `paddings` attribute (opset 1), the `pads`
//     attribute (opsets 2-10) or a constant int64 input (opset >= 11; with or without the
//     constant_value and axes inputs of opsets 11 and 18);
//  2. every pad is 0, whatever the mode (constant, reflect, edge, wrap);
//  3. when the input's rank is declared, the pads have the length the opset requires (2 * rank, or
//     2 * the number of axes), so a malformed Pad stays to fail as it did;
//  4. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: padding by nothing and cropping by nothing leave the tensor as it is.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopPad : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-pad"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
