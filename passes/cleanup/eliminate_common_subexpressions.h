// eliminate-common-subexpressions: merges nodes that compute the same operator on the same inputs
// with the same attributes; the first in topological order stays.
//
// Before:  graph (float[2] x) => (float[2] y) { a = Relu(x)  b = Relu(x)  y = Add(a, b) }
// After:   graph (float[2] x) => (float[2] y) { a = Relu(x)  y = Add(a, a) }
//
// Conditions, in every graph and subgraph (nodes are compared within one graph):
//  1. both nodes have the same op type and domain; the domain is the default ONNX domain or
//     ai.onnx.ml (operators of other domains may have effects or randomness this pass cannot know);
//  2. the op is deterministic: not RandomNormal, RandomNormalLike, RandomUniform,
//     RandomUniformLike, Multinomial, Bernoulli or Dropout (random in training mode; in inference
//     mode eliminate-identity removes it), and no subgraph of the node holds such an op or an op of
//     another domain;
//  3. the same inputs: the same values (Value pointers, so the same names in scope) in the same
//     order, missing optional inputs included;
//  4. the same attributes, by name in any order: equal serialized AttributeProto, equal tensors
//     (element type, dims, contents) and equal subgraphs (their exported GraphProtos are equal, so
//     their outer-scope references name the same values);
//  5. the same number of outputs, present at the same positions;
//  6. each output of the later node can take the earlier node's output's place: when both are graph
//     outputs, the later node stays. When the later one's output is a graph output, the earlier
//     node's output takes its name (ReplaceValue); otherwise every name of the earlier node stays.
// Nodes are visited in topological order, so chains of duplicates merge in one run.
// Algebra: a deterministic function of equal arguments gives equal results.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateCommonSubexpressions : public Pass {
 public:
  std::string_view name() const override { return "eliminate-common-subexpressions"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
