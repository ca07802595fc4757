#include "passes/fuse/fuse_consecutive_transposes.h"

#include <algorithm>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsPermutation(const std::vector<int64_t>& perm) {
  std::vector<bool> seen(perm.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(perm.size()) || seen[static_cast<size_t>(p)]) return false;
    seen[static_cast<size_t>(p)] = true;
  }
  return true;
}

std::vector<int64_t> Reversed(size_t rank) {
  std::vector<int64_t> perm(rank);
  for (size_t i = 0; i < rank; ++i) perm[i] = static_cast<int64_t>(rank - 1 - i);
  return perm;
}

bool IsTranspose(const Node& node) {
  return node.is("Transpose") && node.inputCount() == 1 && node.input(0) && node.outputCount() == 1;
}

// The composed perm of first-then-second; an empty optional when they do not compose. An empty
// vector inside means "identity at any rank" (both perms absent).
std::optional<std::vector<int64_t>> Compose(const Node& first, const Node& second) {
  auto p1 = first.getInts("perm");
  auto p2 = second.getInts("perm");
  if (!p1 && !p2) return std::vector<int64_t>{};
  if (!p1) p1 = Reversed(p2->size());
  if (!p2) p2 = Reversed(p1->size());
  if (p1->size() != p2->size() || !IsPermutation(*p1) || !IsPermutation(*p2)) return std::nullopt;
  std::vector<int64_t> composed(p1->size());
  for (size_t k = 0; k < composed.size(); ++k) composed[k] = (*p1)[static_cast<size_t>((*p2)[k])];
  return composed;
}

bool IsIdentity(const std::vector<int64_t>& perm) {
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int64_t>(i)) return false;
  return true;
}

}  // namespace

Result<size_t> FuseConsecutiveTransposes::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* second : graph.nodes()) {
      if (removed.count(second) || !IsTranspose(*second)) continue;
      Value* middle = second->input(0);
      Node* first = middle->producer();
      if (!first || middle->owner() != &graph || !IsTranspose(*first)) continue;
      bool only_transposes = !middle->isGraphOutput();
      for (const Use& use : middle->uses()) only_transposes &= IsTranspose(*use.user);
      if (!only_transposes) {
        Explain(name(), *second, "the first Transpose's output has uses other than Transposes");
        continue;
      }
      auto composed = Compose(*first, *second);
      if (!composed) {
        Explain(name(), *second, "the perms are not permutations of the same length");
        continue;
      }
      Value* x = first->input(0);
      Value* y = second->output(0);
      if (IsIdentity(*composed) && CanReplaceValue(y, x)) {
        ReplaceValue(y, x);
        graph.removeNode(second);
        removed.insert(second);
      } else {
        if (composed->empty()) {  // both perms absent: the identity, whose perm needs the rank
          auto rank = KnownRank(x);
          if (!rank) {
            Explain(name(), *second, "the Transposes cancel but the output must stay and the rank is unknown");
            continue;
          }
          for (int64_t i = 0; i < *rank; ++i) composed->push_back(i);
        }
        second->setInput(0, x);
        second->setAttribute(Attribute::Ints("perm", *composed));
      }
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
