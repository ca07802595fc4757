#include "passes/cleanup/eliminate_unsqueeze_squeeze.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

// The axes of a Squeeze/Unsqueeze as written: nullopt when absent (then `present` is false) or
// unreadable (then `why` says why).
std::optional<std::vector<int64_t>> ReadAxes(const Node& node, int64_t opset, bool& present, std::string& why) {
  present = false;
  if (opset < 13) {
    if (node.inputCount() != 1) {
      why = "unexpected inputs";
      return std::nullopt;
    }
    if (!node.hasAttribute("axes")) return std::nullopt;
    present = true;
    auto axes = node.getInts("axes");
    if (!axes) why = "axes is not a list of ints";
    else if (opset < 11 && std::any_of(axes->begin(), axes->end(), [](int64_t a) { return a < 0; }))
      why = "a negative axis before opset 11";
    return axes;
  }
  if (node.inputCount() > 2) {
    why = "unexpected inputs";
    return std::nullopt;
  }
  if (!node.input(1)) return std::nullopt;
  present = true;
  auto axes = cleanup::ConstantInts(node.input(1));
  if (!axes) why = "the axes are not a constant int tensor";
  return axes;
}

// Axes as a set of non-negative axes of a tensor of rank `rank`; nullopt when one is out of range
// or repeats.
std::optional<std::set<int64_t>> AxisSet(const std::vector<int64_t>& axes, int64_t rank) {
  std::set<int64_t> set;
  for (int64_t axis : axes) {
    auto normalized = cleanup::NormalizeAxis(axis, rank);
    if (!normalized || !set.insert(*normalized).second) return std::nullopt;
  }
  return set;
}

bool HasRepeats(std::vector<int64_t> axes) {
  std::sort(axes.begin(), axes.end());
  return std::adjacent_find(axes.begin(), axes.end()) != axes.end();
}

// Case A: `squeeze` removes what `unsqueeze` inserted.
std::string WhyNotInverseA(const Node& squeeze, const Node& unsqueeze, int64_t opset) {
  std::string why;
  bool present = false;
  auto inserted = ReadAxes(unsqueeze, opset, present, why);
  if (!why.empty()) return "Unsqueeze: " + why;
  if (!inserted || inserted->empty()) return "Unsqueeze has no axes";
  auto removed = ReadAxes(squeeze, opset, present, why);
  if (!why.empty()) return why;
  const Value* x = unsqueeze.input(0);
  if (!x) return "Unsqueeze has no input";
  std::optional<int64_t> rank;
  if (auto r = x->rank()) rank = *r + static_cast<int64_t>(inserted->size());
  else if (auto r2 = unsqueeze.output(0)->rank()) rank = *r2;
  if (!present) {
    auto dims = cleanup::DeclaredDims(x);
    if (!dims) return "Squeeze without axes and the rank of the Unsqueeze input is unknown";
    for (const auto& d : *dims)
      if (!d || *d == 1) return "Squeeze without axes and a dimension of the Unsqueeze input may be 1";
    if (!AxisSet(*inserted, *rank)) return "Unsqueeze axes out of range or repeated";
    return "";
  }
  if (rank) {
    auto a = AxisSet(*inserted, *rank);
    auto b = AxisSet(*removed, *rank);
    if (!a || !b) return "axes out of range or repeated";
    if (*a != *b) return "the Squeeze removes other axes than the Unsqueeze inserts";
    return "";
  }
  if (HasRepeats(*inserted) || HasRepeats(*removed)) return "repeated axes";
  std::vector<int64_t> a = *inserted, b = *removed;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a != b) return "the ranks are unknown and the axes are not written the same";
  return "";
}

// Case B: `unsqueeze` inserts again what `squeeze` removed.
std::string WhyNotInverseB(const Node& unsqueeze, const Node& squeeze, int64_t opset) {
  std::string why;
  bool present = false;
  auto inserted = ReadAxes(unsqueeze, opset, present, why);
  if (!why.empty()) return why;
  if (!inserted) return "Unsqueeze has no axes";
  auto removed = ReadAxes(squeeze, opset, present, why);
  if (!why.empty()) return "Squeeze: " + why;
  auto dims = cleanup::DeclaredDims(squeeze.input(0));
  if (!dims) return "the rank of the Squeeze input is unknown";
  auto rank = static_cast<int64_t>(dims->size());
  std::set<int64_t> squeezed;
  if (present) {
    auto set = AxisSet(*removed, rank);
    if (!set) return "Squeeze axes out of range or repeated";
    for (int64_t axis : *set)
      if ((*dims)[static_cast<size_t>(axis)] != 1) return fmt::format("dimension {} is not known to be 1", axis);
    squeezed = *set;
  } else {
    for (size_t i = 0; i < dims->size(); ++i) {
      if (!(*dims)[i]) return "Squeeze without axes and a dimension is unknown";
      if ((*dims)[i] == 1) squeezed.insert(static_cast<int64_t>(i));
    }
  }
  if (inserted->empty()) return "Unsqueeze with no axes";
  auto set = AxisSet(*inserted, rank);
  if (!set) return "Unsqueeze axes out of range or repeated";
  if (*set != squeezed) return "the Unsqueeze inserts other axes than the Squeeze removes";
  return "";
}

}  // namespace

Result<size_t> EliminateUnsqueezeSqueeze::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t removed = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    // First nodes of bypassed pairs in this graph, removed at the end when nothing uses them any
    // more (not at once: the loop still holds pointers to them).
    std::vector<Node*> firsts;
    std::unordered_set<const Node*> gone;
    for (Node* node : graph.nodes()) {
      if (gone.count(node)) continue;
      bool is_squeeze = node->is("Squeeze");
      if (!is_squeeze && !node->is("Unsqueeze")) continue;
      const Value* input = node->input(0);
      Node* first = input ? input->producer() : nullptr;
      if (!first || !first->is(is_squeeze ? "Unsqueeze" : "Squeeze")) continue;
      std::string why = is_squeeze ? WhyNotInverseA(*node, *first, opset) : WhyNotInverseB(*node, *first, opset);
      if (why.empty()) why = cleanup::BypassNode(graph, *node, first->input(0));
      if (!why.empty()) {
        Explain(name(), *node, why);
        continue;
      }
      gone.insert(node);
      ++removed;
      if (first->owner() == &graph) firsts.push_back(first);  // of an enclosing graph: left to eliminate-dead-nodes
    }
    for (Node* first : firsts) {
      if (gone.count(first)) continue;
      const Value* middle = first->output(0);
      if (middle->hasUses() || middle->isGraphOutput() || !cleanup::OnlyFirstOutputUsed(*first)) continue;
      gone.insert(first);
      graph.removeNode(first);
    }
  });
  return removed;
}

}  // namespace onnxkit
