#include "passes/fuse/fuse_consecutive_concats.h"

#include <unordered_set>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsConcat(const Node& node) { return node.is("Concat") && node.outputCount() == 1 && node.output(0); }

std::optional<int64_t> Axis(const Node& concat, int64_t opset) {
  if (const Attribute* axis = concat.attribute("axis")) return axis->i();
  if (opset < 4) return 1;
  return std::nullopt;
}

// The rank of a Concat's output, when known from it or one of its inputs.
std::optional<int64_t> ConcatRank(const Node& concat) {
  if (auto rank = KnownRank(concat.output(0))) return rank;
  for (const Value* input : concat.inputs())
    if (auto rank = KnownRank(input)) return rank;
  return std::nullopt;
}

bool SameAxis(const Node& outer, const Node& inner, int64_t opset) {
  auto a = Axis(outer, opset);
  auto b = Axis(inner, opset);
  if (!a || !b) return false;
  if (*a == *b) return true;
  std::optional<int64_t> rank = ConcatRank(outer);
  if (!rank) rank = ConcatRank(inner);
  if (!rank) return false;
  if (*a < 0) *a += *rank;
  if (*b < 0) *b += *rank;
  return *a == *b && *a >= 0 && *a < *rank;
}

}  // namespace

Result<size_t> FuseConsecutiveConcats::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::vector<Node*> concats;
    for (Node* node : graph.nodes())
      if (IsConcat(*node)) concats.push_back(node);
    std::unordered_set<Node*> removed;  // inner Concats flattened away, not to be visited
    for (Node* outer : concats) {
      if (removed.count(outer)) continue;
      // Flatten repeatedly: an inner Concat's inputs may be Concats themselves.
      for (size_t i = 0; i < outer->inputCount(); ++i) {
        Value* input = outer->input(i);
        Node* inner = input ? input->producer() : nullptr;
        if (!inner || input->owner() != &graph || !IsConcat(*inner) || inner == outer) continue;
        if (!UsedOnlyBy(input, *outer)) {
          Explain(name(), *inner, "its output has other uses");
          continue;
        }
        if (!SameAxis(*outer, *inner, opset)) {
          Explain(name(), *inner, "its axis differs from the outer Concat's");
          continue;
        }
        // Rebuild the outer input list with every occurrence of `input` expanded.
        std::vector<Value*> flattened;
        for (Value* v : outer->inputs()) {
          if (v == input) flattened.insert(flattened.end(), inner->inputs().begin(), inner->inputs().end());
          else flattened.push_back(v);
        }
        outer->removeAllInputs();
        for (Value* v : flattened) outer->addInput(v);
        graph.removeNode(inner);
        removed.insert(inner);
        ++fused;
        i = static_cast<size_t>(-1);  // start over: the expanded inputs may be Concats too
      }
    }
  });
  return fused;
}

}  // namespace onnxkit
