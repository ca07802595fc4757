// eliminate-noop-expand: removes Expand to a shape that broadcasting leaves the input's shape as is.
//
// Before:  graph (float[N,3] x) => (float[N,3] y) <int64[2] s = {1, 3}> { e = Expand(x, s)  y = Relu(e) }
// After:   graph (float[N,3] x) => (float[N,3] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Expand in the default domain (opset >= 8); its shape input is a constant 1-D int64 tensor s;
//  2. the input's rank r is declared and s has at most r entries (more would add dimensions);
//  3. aligning s to the right of the input's dims d, every entry is 1 (broadcasting keeps d[i],
//     known or not) or equals d[i], which is known;
//  4. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: the output shape is broadcast(d, s) = d, and Expand copies each element to the
// positions it broadcasts to, so the output is the input.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopExpand : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-expand"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
