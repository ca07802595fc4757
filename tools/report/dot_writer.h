// The main graph as Graphviz DOT (onnx-info --dot and --html, onnx-opt --report). One box per node (op type and name, filled by
// the op's kind), graph inputs and outputs as ellipses, edges labeled with the value's type and
// shape where known. Initializers are not drawn (a node's label counts them) so that big models
// stay readable; a node holding subgraphs says so in its label.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"

namespace onnxkit::tools {

enum class OpKind { kLinear, kActivation, kNormalization, kDataMovement, kQuantization, kControlFlow, kOther };

OpKind ClassifyOp(std::string_view domain, std::string_view op_type);
std::string_view OpKindName(OpKind kind);   // "conv / matmul / gemm", ...
std::string_view OpKindColor(OpKind kind);  // "#aec7e8", ...
const std::vector<OpKind>& AllOpKinds();

// Value types on the edges: the value's own, or from `inferred` (by value name, e.g.
// ShapeInferenceResult::main_graph_types) where that has one.
std::string WriteDot(const Graph& graph, const std::map<std::string, onnx::TypeProto>* inferred = nullptr);

}  // namespace onnxkit::tools
