#include "passes/cleanup/eliminate_noop_reshape.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (!node.input(0) || node.outputCount() != 1) return "unexpected inputs or outputs";
  std::optional<std::vector<int64_t>> target;
  if (opset >= 5) {
    TensorPtr tensor = ConstantTensor(node.input(1));
    if (!tensor) return "the target shape is not a constant";
    if (tensor->dtype() != DataType::kInt64 || tensor->rank() != 1) return "the target shape is not a 1-D int64 tensor";
    target = cleanup::ConstantInts(node.input(1));
  } else {
    target = node.getInts("shape");
    if (!target) return "no 'shape' attribute";
  }
  auto dims = cleanup::DeclaredDims(node.input(0));
  if (!dims) return "the input's rank is unknown";
  if (dims->size() != target->size()) return "the target has another rank";
  bool allow_zero = opset >= 14 && node.getInt("allowzero", 0) != 0;

  std::optional<size_t> inferred;  // position of -1
  for (size_t i = 0; i < target->size(); ++i) {
    int64_t t = (*target)[i];
    const std::optional<int64_t>& d = (*dims)[i];
    if (t > 0) {
      if (!d) return fmt::format("dimension {} is unknown", i);
      if (*d != t) return fmt::format("dimension {} changes", i);
    } else if (t == 0) {
      if (allow_zero && d != 0) return fmt::format("dimension {} is not known to be 0 (allowzero)", i);
    } else if (t == -1) {
      if (inferred) return "two -1 entries";
      inferred = i;
    } else {
      return fmt::format("invalid target entry {}", t);
    }
  }
  if (inferred) {
    for (size_t i = 0; i < target->size(); ++i) {
      if (i == *inferred) continue;
      int64_t t = (*target)[i];
      std::optional<int64_t> out = t > 0 ? std::optional<int64_t>(t) : (*dims)[i];
      if (!out || *out == 0) return "the -1 entry is not determined by known non-zero dimensions";
    }
  }
  return "";
}

}  // namespace

Result<size_t> EliminateNoopReshape::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Reshape")) continue;
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
