// inline-constant-if: replaces an If whose condition is a constant by the nodes of the branch it
// always takes.
//
// Before:  graph (float[2] x) => (float[2] y) <bool c = {1}> {
//            y = If(c) <then_branch = t () => (float[2] a) { a = Relu(x) },
//                       else_branch = e () => (float[2] b) { b = Neg(x) }>
//          }
// After:   graph (float[2] x) => (float[2] y) <bool c = {1}> { y = Relu(x) }
//
// Conditions, in every graph and subgraph:
//  1. If in the default domain whose condition is a constant (initializer that is not a graph
//     input, or Constant node) bool tensor of one element;
//  2. the branch taken is a GRAPH attribute with no inputs, as many outputs as the If has, and no
//     sparse initializers; at IR version < 4 it has no initializers either (they would have to
//     become graph inputs of the main graph);
// Rewrite: the branch's nodes (with their attributes and nested subgraphs, copied), initializers
// and value_info move into the If's graph, before the If. A branch name that is also used anywhere
// else in the model (outside the two branches) is renamed with freshName, so names stay unique in
// every scope; nested subgraphs keep their names. References from the branch to enclosing values
// stay as they are (those values are visible from the If's graph too). Each If output is replaced
// (ReplaceValue, so it keeps its name) by the value the branch returns; when that is impossible
// (the If output is a graph output and the branch returns a graph input or output, an enclosing
// value, or a value already returned), an Identity of the returned value stands in. The If goes;
// a Constant that fed it goes with eliminate-dead-nodes.
// Algebra: If(true, T, E) = T and If(false, T, E) = E.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class InlineConstantIf : public Pass {
 public:
  std::string_view name() const override { return "inline-constant-if"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
