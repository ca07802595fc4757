// Runs one node's kernel on given input tensors, outside any session: how constant folding uses
// the runtime's kernels. Nodes with subgraphs are not supported here.
#pragma once

#include <span>
#include <vector>

#include "ir/node.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime {

// Inputs: nullptr for a missing optional input. Returns one tensor per node output.
Result<std::vector<Tensor>> EvaluateNode(const Node& node, int64_t opset, std::span<const Tensor* const> inputs);

}  // namespace onnxkit::runtime
