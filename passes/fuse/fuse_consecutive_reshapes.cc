#include "passes/fuse/fuse_consecutive_reshapes.h"

#include <algorithm>
#include <unordered_set>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsReshape(const Node& node) { return node.is("Reshape") && node.input(0) && node.outputCount() == 1; }

bool IsReshapeOrFlatten(const Node& node) {
  return (node.is("Reshape") || node.is("Flatten")) && node.input(0) && node.outputCount() == 1;
}

// The target shape of a Reshape at `opset`, when known.
std::optional<std::vector<int64_t>> TargetShape(const Node& reshape, int64_t opset) {
  if (opset < 5) return reshape.getInts("shape");
  return ReadInts(ConstantTensor(reshape.input(1)));
}

}  // namespace

Result<size_t> FuseConsecutiveReshapes::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* second : graph.nodes()) {
      if (removed.count(second) || !IsReshape(*second)) continue;
      Value* middle = second->input(0);
      Node* first = middle->producer();
      if (!first || middle->owner() != &graph || !IsReshapeOrFlatten(*first)) continue;
      bool only_reshapes = !middle->isGraphOutput();
      for (const Use& use : middle->uses()) only_reshapes &= use.user->is("Reshape") && use.input_index == 0;
      if (!only_reshapes) {
        Explain(name(), *second, "the first node's output has uses other than Reshapes' data");
        continue;
      }
      auto shape = TargetShape(*second, opset);
      if (!shape) {
        Explain(name(), *second, "its shape is not a constant");
        continue;
      }
      bool allow_zero = opset >= 14 && second->getInt("allowzero", 0) != 0;
      if (!allow_zero && std::find(shape->begin(), shape->end(), 0) != shape->end()) {
        Explain(name(), *second, "its shape copies a dim (0) from the first node's output");
        continue;
      }
      second->setInput(0, first->input(0));
      if (!middle->hasUses()) {
        graph.removeNode(first);
        removed.insert(first);
      }
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
