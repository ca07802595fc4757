#include "passes/cleanup/eliminate_noop_pad.h"

#include <algorithm>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (!node.input(0) || node.outputCount() != 1) return "unexpected inputs or outputs";
  std::optional<std::vector<int64_t>> pads;
  std::optional<size_t> padded_axes;  // number of axes the pads cover, when not the rank
  if (opset < 11) {
    if (node.inputCount() != 1) return "unexpected inputs";
    pads = node.getInts(opset < 2 ? "paddings" : "pads");
    if (!pads) return "no pads attribute";
  } else {
    if (node.inputCount() < 2 || node.inputCount() > 4) return "unexpected inputs";
    TensorPtr tensor = ConstantTensor(node.input(1));
    if (!tensor) return "pads is not a constant";
    if (tensor->dtype() != DataType::kInt64 || tensor->rank() != 1) return "pads is not a 1-D int64 tensor";
    pads = cleanup::ConstantInts(node.input(1));
    if (node.input(3)) {
      if (opset < 18) return "an axes input before opset 18";
      auto axes = cleanup::ConstantInts(node.input(3));
      if (!axes) return "axes is not a constant int tensor";
      padded_axes = axes->size();
    }
  }
  if (!std::all_of(pads->begin(), pads->end(), [](int64_t p) { return p == 0; })) return "a pad is not 0";
  if (auto rank = node.input(0)->rank()) {
    size_t axes = padded_axes.value_or(static_cast<size_t>(*rank));
    if (pads->size() != 2 * axes) return "pads has the wrong length";
  }
  return "";
}

}  // namespace

Result<size_t> EliminateNoopPad::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Pad")) continue;
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
