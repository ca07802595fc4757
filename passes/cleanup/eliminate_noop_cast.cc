#include "passes/cleanup/eliminate_noop_cast.h"

#include <algorithm>
#include <cctype>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

// Why the Cast/CastLike `node` is not a no-op ("" when it is).
std::string WhyNotNoop(const Node& node, int64_t opset) {
  const Value* input = node.input(0);
  if (!input || node.outputCount() != 1) return "unexpected inputs or outputs";
  DataType from = input->elemType();
  if (from == DataType::kUndefined) return "the input's element type is unknown";
  if (node.is("Cast")) {
    const Attribute* to = node.attribute("to");
    if (!to) return "no 'to' attribute";
    if (to->type() == onnx::AttributeProto::INT) {
      if (to->i() != static_cast<int64_t>(from)) return "it converts to another type";
      return "";
    }
    if (to->type() == onnx::AttributeProto::STRING && opset < 6) {
      onnx::TensorProto::DataType parsed;
      std::string upper = to->s();
      std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
      if (!onnx::TensorProto::DataType_Parse(upper, &parsed)) return "'to' names no element type";
      if (static_cast<int32_t>(parsed) != static_cast<int32_t>(from)) return "it converts to another type";
      return "";
    }
    return "'to' has an unexpected attribute type";
  }
  // CastLike
  if (opset < 15) return "CastLike before opset 15";
  const Value* like = node.input(1);
  if (!like || node.inputCount() != 2) return "unexpected inputs";
  DataType target = like->elemType();
  if (target == DataType::kUndefined) return "the target type (input 1) is unknown";
  if (target != from) return "it converts to another type";
  return "";
}

}  // namespace

Result<size_t> EliminateNoopCast::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Cast") && !node->is("CastLike")) continue;
      std::string why = WhyNotNoop(*node, opset);
      if (why.empty()) why = cleanup::BypassNode(graph, *node, node->input(0));
      if (!why.empty()) {
        Explain(name(), *node, why);
        continue;
      }
      ++removed;
    }
  });
  return removed;
}

}  // namespace onnxkit
