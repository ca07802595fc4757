#include "passes/fuse/fuse_consecutive_unsqueezes.h"

#include <algorithm>
#include <unordered_set>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsUnsqueeze(const Node& node) { return node.is("Unsqueeze") && node.input(0) && node.outputCount() == 1; }

bool Fuse(Node& second, bool axes_from_input, std::string_view pass) {
  Value* middle = second.input(0);
  Node* first = middle->producer();
  if (!first || middle->owner() != second.owner() || !IsUnsqueeze(*first)) return false;
  if (middle->uses().size() != 1 || middle->isGraphOutput()) {
    Explain(pass, *first, "its output has other uses");
    return false;
  }
  auto first_axes = ReadAxesArgument(*first, axes_from_input, 1);
  auto second_axes = ReadAxesArgument(second, axes_from_input, 1);
  if (!first_axes || !second_axes || !*first_axes || !*second_axes || (*first_axes)->empty() ||
      (*second_axes)->empty()) {
    Explain(pass, second, "the axes are not constant or are empty");
    return false;
  }
  Value* x = first->input(0);
  std::optional<int64_t> rank = KnownRank(x);
  std::optional<int64_t> middle_rank, output_rank;
  if (rank) {
    middle_rank = *rank + static_cast<int64_t>((*first_axes)->size());
    output_rank = *middle_rank + static_cast<int64_t>((*second_axes)->size());
  }
  auto a1 = NormalizeAxes(**first_axes, middle_rank);
  auto a2 = NormalizeAxes(**second_axes, output_rank);
  if (!a1 || !a2) {
    Explain(pass, second, "the axes are out of range, repeated, or negative without a known rank");
    return false;
  }
  // rest[j]: the position in y of t's axis j.
  int64_t largest = *std::max_element(a1->begin(), a1->end());
  std::vector<int64_t> rest;
  for (int64_t axis = 0; static_cast<int64_t>(rest.size()) <= largest; ++axis)
    if (std::find(a2->begin(), a2->end(), axis) == a2->end()) rest.push_back(axis);
  std::vector<int64_t> merged = *a2;
  for (int64_t j : *a1) merged.push_back(rest[static_cast<size_t>(j)]);
  std::sort(merged.begin(), merged.end());
  second.setInput(0, x);
  SetAxesArgument(second, axes_from_input, 1, merged, second.output(0)->name() + "_axes");
  second.owner()->removeNode(first);
  return true;
}

}  // namespace

Result<size_t> FuseConsecutiveUnsqueezes::run(Model& model) {
  bool axes_from_input = model.opsetVersion("").value_or(0) >= 13;
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::vector<Node*> unsqueezes;
    for (Node* node : graph.nodes())
      if (IsUnsqueeze(*node)) unsqueezes.push_back(node);
    std::unordered_set<Node*> removed;  // first Unsqueezes fused away, not to be visited
    for (Node* node : unsqueezes) {
      if (removed.count(node)) continue;
      Node* first = node->input(0)->producer();
      if (Fuse(*node, axes_from_input, name())) {
        removed.insert(first);
        ++fused;
      }
    }
  });
  return fused;
}

}  // namespace onnxkit
