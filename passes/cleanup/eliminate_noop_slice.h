// eliminate-noop-slice: removes Slice that keeps every element.
//
// Before:  graph (float[N,4] x) => (float[N,4] y)
//          <int64[1] s = {0}, int64[1] e = {9223372036854775807}, int64[1] a = {1}>
//          { t = Slice(x, s, e, a)  y = Relu(t) }
// After:   graph (float[N,4] x) => (float[N,4] y) { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. Slice in the default domain: starts, ends and axes attributes at opsets 1-9; constant
//     starts, ends and optional axes and steps inputs (int32 or int64) at opsets >= 10;
//  2. starts, ends, axes and steps have the same length (axes default to 0, 1, ...; steps to 1);
//     axes are distinct; a negative axis needs the input's declared rank;
//  3. on every sliced axis with dimension d:
//     - the step is 1;
//     - the start clamps to 0: it is 0, or d is known and start <= -d;
//     - the end clamps to d: d is known and end >= d, or end is INT64_MAX (any d);
//     - or d is known to be 0 (every slice of it is empty);
//  4. the output can take the input's place (when it is a graph output, the input must be a value of
//     the same graph that is neither a graph input nor a graph output).
// Algebra: with start 0, end d and step 1 on every sliced axis the slice is [0, d) everywhere.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopSlice : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-slice"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
