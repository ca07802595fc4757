#include "passes/cleanup/eliminate_noop_slice.h"

#include <limits>
#include <set>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

struct SliceParameters {
  std::vector<int64_t> starts, ends, axes, steps;
};

// The parameters as the node's opset defines them, or a reason why they are not known.
std::string ReadParameters(const Node& node, int64_t opset, SliceParameters& p) {
  if (opset < 10) {
    auto starts = node.getInts("starts");
    auto ends = node.getInts("ends");
    if (!starts || !ends) return "starts or ends attribute missing";
    p.starts = *starts;
    p.ends = *ends;
    if (node.hasAttribute("axes")) {
      auto axes = node.getInts("axes");
      if (!axes) return "axes is not a list of ints";
      p.axes = *axes;
    }
    return "";
  }
  auto starts = cleanup::ConstantInts(node.input(1));
  auto ends = cleanup::ConstantInts(node.input(2));
  if (!starts || !ends) return "starts or ends is not a constant int tensor";
  p.starts = *starts;
  p.ends = *ends;
  if (node.input(3)) {
    auto axes = cleanup::ConstantInts(node.input(3));
    if (!axes) return "axes is not a constant int tensor";
    p.axes = *axes;
  }
  if (node.input(4)) {
    auto steps = cleanup::ConstantInts(node.input(4));
    if (!steps) return "steps is not a constant int tensor";
    p.steps = *steps;
  }
  return "";
}

std::string WhyNotNoop(const Node& node, int64_t opset) {
  if (!node.input(0) || node.outputCount() != 1) return "unexpected inputs or outputs";
  if (opset < 10 ? node.inputCount() != 1 : node.inputCount() > 5) return "unexpected inputs";
  SliceParameters p;
  std::string why = ReadParameters(node, opset, p);
  if (!why.empty()) return why;
  size_t n = p.starts.size();
  if (p.axes.empty() && !node.hasAttribute("axes") && !node.input(3))
    for (size_t i = 0; i < n; ++i) p.axes.push_back(static_cast<int64_t>(i));
  if (p.steps.empty() && !node.input(4)) p.steps.assign(n, 1);
  if (p.ends.size() != n || p.axes.size() != n || p.steps.size() != n) return "parameter lengths differ";

  auto dims = cleanup::DeclaredDims(node.input(0));
  std::set<int64_t> seen;
  for (size_t i = 0; i < n; ++i) {
    int64_t axis = p.axes[i];
    if (axis < 0) {
      if (!dims) return "a negative axis and the input's rank is unknown";
      axis += static_cast<int64_t>(dims->size());
    }
    if (axis < 0 || (dims && axis >= static_cast<int64_t>(dims->size()))) return "an axis is out of range";
    if (!seen.insert(axis).second) return "an axis repeats";
    std::optional<int64_t> d = dims ? (*dims)[static_cast<size_t>(axis)] : std::nullopt;
    if (p.steps[i] != 1) return fmt::format("the step on axis {} is not 1", axis);
    if (d == 0) continue;
    bool whole_start = p.starts[i] == 0 || (d && p.starts[i] <= -*d);
    if (!whole_start) return fmt::format("the start on axis {} is not known to be 0", axis);
    bool whole_end = p.ends[i] == std::numeric_limits<int64_t>::max() || (d && p.ends[i] >= *d);
    if (!whole_end) return fmt::format("the end on axis {} is not known to reach the dimension", axis);
  }
  return "";
}

}  // namespace

Result<size_t> EliminateNoopSlice::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Slice")) continue;
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
