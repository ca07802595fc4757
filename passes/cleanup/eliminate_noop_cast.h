// eliminate-noop-cast: removes Cast (and CastLike) to the element type the input already has.
//
// Before:  graph (float[2] x) => (float[2] y) { c = Cast<to = 1>(x)  y = Relu(c) }
// After:   graph (float[2] x) => (float[2] y) { y = Relu(x) }
//
// Before:  graph (float[2] x, float[3] like) => (float[2] y) { c = CastLike(x, like)  y = Relu(c) }
// After:   graph (float[2] x, float[3] like) => (float[2] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Cast or CastLike in the default domain (Cast: any opset, with `to` a TensorProto.DataType
//     number, or at opsets < 6 its name such as "FLOAT", compared ignoring case; CastLike:
//     opset >= 15);
//  2. the input's element type is declared (graph input, initializer, value_info);
//  3. Cast: `to` is that element type; CastLike: input 1's element type is declared and is that
//     element type;
//  4. the output can take the input's place: when it is a graph output, the input must be a value
//     of the same graph that is neither a graph input nor a graph output (it takes the output's
//     name).
// Algebra: a conversion to the same type is the identity, for every value (NaN and -0.0 included;
// `saturate` only affects float8 targets converted from other types).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopCast : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-cast"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
