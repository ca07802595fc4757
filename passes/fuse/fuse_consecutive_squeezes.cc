#include "passes/fuse/fuse_consecutive_squeezes.h"

#include <algorithm>
#include <unordered_set>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsSqueeze(const Node& node) { return node.is("Squeeze") && node.input(0) && node.outputCount() == 1; }

bool Fuse(Node& second, bool axes_from_input, std::string_view pass) {
  Value* middle = second.input(0);
  Node* first = middle->producer();
  if (!first || middle->owner() != second.owner() || !IsSqueeze(*first)) return false;
  if (middle->uses().size() != 1 || middle->isGraphOutput()) {
    Explain(pass, *first, "its output has other uses");
    return false;
  }
  auto first_axes = ReadAxesArgument(*first, axes_from_input, 1);
  auto second_axes = ReadAxesArgument(second, axes_from_input, 1);
  if (!first_axes || !second_axes || (*first_axes && (*first_axes)->empty()) ||
      (*second_axes && (*second_axes)->empty())) {
    Explain(pass, second, "the axes are not constant or are empty");
    return false;
  }
  Value* x = first->input(0);
  if (!*second_axes) {
    // Squeeze every dim of size 1 of t: those of x that the first kept, and with them the ones
    // the first removed, which have size 1 too. Whatever the first's axes, no axes.
    second.setInput(0, x);
    second.owner()->removeNode(first);
    return true;
  }
  if (!*first_axes) {
    Explain(pass, second, "the first Squeeze removes every dim of size 1, so the second's axes cannot be merged");
    return false;
  }
  std::optional<int64_t> rank = KnownRank(x);
  auto a1 = NormalizeAxes(**first_axes, rank);
  std::optional<int64_t> middle_rank;
  if (rank) middle_rank = *rank - static_cast<int64_t>((*first_axes)->size());
  auto a2 = a1 ? NormalizeAxes(**second_axes, middle_rank) : std::nullopt;
  if (!a1 || !a2) {
    Explain(pass, second, "the axes are out of range, repeated, or negative without a known rank");
    return false;
  }
  // kept[b]: x's axis that is t's axis b.
  int64_t largest = *std::max_element(a2->begin(), a2->end());
  std::vector<int64_t> kept;
  for (int64_t axis = 0; static_cast<int64_t>(kept.size()) <= largest; ++axis)
    if (std::find(a1->begin(), a1->end(), axis) == a1->end()) kept.push_back(axis);
  std::vector<int64_t> merged = *a1;
  for (int64_t b : *a2) merged.push_back(kept[static_cast<size_t>(b)]);
  std::sort(merged.begin(), merged.end());
  second.setInput(0, x);
  SetAxesArgument(second, axes_from_input, 1, merged, second.output(0)->name() + "_axes");
  second.owner()->removeNode(first);
  return true;
}

}  // namespace

Result<size_t> FuseConsecutiveSqueezes::run(Model& model) {
  bool axes_from_input = model.opsetVersion("").value_or(0) >= 13;
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::vector<Node*> squeezes;
    for (Node* node : graph.nodes())
      if (IsSqueeze(*node)) squeezes.push_back(node);
    std::unordered_set<Node*> removed;  // first Squeezes fused away, not to be visited
    for (Node* node : squeezes) {
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
