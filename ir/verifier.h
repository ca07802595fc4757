// Structural checks of a model, run after loading and (in tests and with --verify-each) after
// every pass. Each message names the node (name and op type), the value, and the subgraph path.
//
// Checked: every value defined once in its scope (no redefinition of a name visible from an
// enclosing graph); every node input and graph output defined and visible from where it is used
// (subgraphs may use values of enclosing graphs, never of sibling or nested graphs); no cycles;
// every domain used by a node has an opset import; use lists consistent with node inputs.
#pragma once

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

Status VerifyModel(const Model& model);

// "in the main graph" / "in attribute 'body' of node 'loop' (Loop)" — for messages.
std::string DescribeGraph(const Graph& graph);

}  // namespace onnxkit
