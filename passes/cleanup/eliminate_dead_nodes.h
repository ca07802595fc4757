// eliminate-dead-nodes: removes what cannot affect a graph output.
//
// Before:  graph (x) => (y) { y = Relu(x)  t = Sigmoid(x) }        (t unused)
// After:   graph (x) => (y) { y = Relu(x) }
//
// Removed, in every graph and subgraph (subgraphs first, since that can free outer values):
//  1. nodes none of whose outputs reaches a graph output, directly, through other nodes, or
//     through the subgraphs of live nodes (outer-scope uses);
//  2. initializers and sparse initializers nothing uses (graph inputs with a default value stay:
//     they are part of the model's interface);
//  3. value_info entries of values that no longer exist or are not defined.
// Graph inputs and outputs are never removed or renamed. A graph with a cycle is left untouched.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateDeadNodes : public Pass {
 public:
  std::string_view name() const override { return "eliminate-dead-nodes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
