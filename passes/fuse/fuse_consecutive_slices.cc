#include "passes/fuse/fuse_consecutive_slices.h"

#include <algorithm>
#include <unordered_set>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsSlice(const Node& node) { return node.is("Slice") && node.input(0) && node.outputCount() == 1; }

struct SliceSpec {
  std::vector<int64_t> starts, ends, axes, steps;
  bool has_steps = false;
};

std::optional<SliceSpec> ReadSlice(const Node& slice, int64_t opset) {
  SliceSpec spec;
  if (opset < 10) {
    auto starts = slice.getInts("starts");
    auto ends = slice.getInts("ends");
    if (!starts || !ends || slice.inputCount() != 1) return std::nullopt;
    spec.starts = *starts;
    spec.ends = *ends;
    if (auto axes = slice.getInts("axes")) spec.axes = *axes;
    else
      for (size_t i = 0; i < spec.starts.size(); ++i) spec.axes.push_back(static_cast<int64_t>(i));
    spec.steps.assign(spec.starts.size(), 1);
  } else {
    if (slice.inputCount() > 5) return std::nullopt;
    auto starts = ReadInts(ConstantTensor(slice.input(1)));
    auto ends = ReadInts(ConstantTensor(slice.input(2)));
    if (!starts || !ends) return std::nullopt;
    spec.starts = *starts;
    spec.ends = *ends;
    if (slice.input(3)) {
      auto axes = ReadInts(ConstantTensor(slice.input(3)));
      if (!axes) return std::nullopt;
      spec.axes = *axes;
    } else {
      for (size_t i = 0; i < spec.starts.size(); ++i) spec.axes.push_back(static_cast<int64_t>(i));
    }
    if (slice.input(4)) {
      auto steps = ReadInts(ConstantTensor(slice.input(4)));
      if (!steps) return std::nullopt;
      spec.steps = *steps;
      spec.has_steps = true;
    } else {
      spec.steps.assign(spec.starts.size(), 1);
    }
  }
  size_t n = spec.starts.size();
  if (spec.ends.size() != n || spec.axes.size() != n || spec.steps.size() != n) return std::nullopt;
  return spec;
}

bool Fuse(Node& second, int64_t opset, std::string_view pass) {
  Value* middle = second.input(0);
  Node* first = middle->producer();
  if (!first || middle->owner() != second.owner() || !IsSlice(*first)) return false;
  if (middle->uses().size() != 1 || middle->isGraphOutput()) {
    Explain(pass, *first, "its output has other uses");
    return false;
  }
  auto s1 = ReadSlice(*first, opset);
  auto s2 = ReadSlice(second, opset);
  if (!s1 || !s2) {
    Explain(pass, second, "the starts, ends, axes or steps are not known");
    return false;
  }
  Value* x = first->input(0);
  std::vector<int64_t> axes = s1->axes;
  axes.insert(axes.end(), s2->axes.begin(), s2->axes.end());
  auto normalized = NormalizeAxes(axes, KnownRank(x));
  if (!normalized) {
    Explain(pass, second, "the Slices share an axis, or an axis is negative without a known rank");
    return false;
  }
  auto joined = [](std::vector<int64_t> a, const std::vector<int64_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  std::vector<int64_t> starts = joined(s1->starts, s2->starts);
  std::vector<int64_t> ends = joined(s1->ends, s2->ends);
  std::vector<int64_t> steps = joined(s1->steps, s2->steps);
  Graph& graph = *second.owner();
  second.setInput(0, x);
  if (opset < 10) {
    second.setAttribute(Attribute::Ints("starts", starts));
    second.setAttribute(Attribute::Ints("ends", ends));
    second.setAttribute(Attribute::Ints("axes", *normalized));
  } else {
    std::string base = second.output(0)->name();
    while (second.inputCount() < 5) second.addInput(nullptr);
    second.setInput(1, graph.addInitializer(base + "_starts", MakeInt64Vector(starts)));
    second.setInput(2, graph.addInitializer(base + "_ends", MakeInt64Vector(ends)));
    second.setInput(3, graph.addInitializer(base + "_axes", MakeInt64Vector(*normalized)));
    if (s1->has_steps || s2->has_steps) {
      second.setInput(4, graph.addInitializer(base + "_steps", MakeInt64Vector(steps)));
    } else {
      second.removeInput(4);
    }
  }
  graph.removeNode(first);
  return true;
}

}  // namespace

Result<size_t> FuseConsecutiveSlices::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::vector<Node*> slices;
    for (Node* node : graph.nodes())
      if (IsSlice(*node)) slices.push_back(node);
    std::unordered_set<Node*> removed;  // first Slices fused away, not to be visited
    for (Node* node : slices) {
      if (removed.count(node)) continue;
      Node* first = node->input(0)->producer();
      if (Fuse(*node, opset, name())) {
        removed.insert(first);
        ++fused;
      }
    }
  });
  return fused;
}

}  // namespace onnxkit
