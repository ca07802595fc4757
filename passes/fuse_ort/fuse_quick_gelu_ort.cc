#include "passes/fuse_ort/fuse_quick_gelu_ort.h"

#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

struct Match {
  Node* sigmoid = nullptr;
  Node* scale = nullptr;  // the Mul(x, alpha) inside the Sigmoid, when there is one
  double alpha = 1.0;
};

// Mul(x, s) with s = Sigmoid(x) or Sigmoid(Mul(x, alpha)).
std::optional<Match> MatchAround(const Graph& graph, const Node& mul, const Value* x, Value* s) {
  Match match;
  match.sigmoid = ProducerIn(graph, s, "Sigmoid");
  if (!match.sigmoid || !HasSingleUse(s) || match.sigmoid->inputCount() != 1) return std::nullopt;
  Value* inner = match.sigmoid->input(0);
  if (inner == x) return match;
  match.scale = ProducerIn(graph, inner, "Mul");
  if (!match.scale || !HasSingleUse(inner) || match.scale->inputCount() != 2) return std::nullopt;
  for (size_t i = 0; i < 2; ++i) {
    if (match.scale->input(i) != x) continue;
    auto alpha = ScalarConstant(match.scale->input(1 - i), x->rank(), DataType::kFloat);
    if (!alpha) return std::nullopt;
    match.alpha = *alpha;
    return match;
  }
  return std::nullopt;
}

}  // namespace

Result<size_t> FuseQuickGeluOrt::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* mul : graph.nodes()) {
      if (removed.count(mul) || !mul->is("Mul") || mul->inputCount() != 2 || mul->outputCount() != 1) continue;
      for (size_t i = 0; i < 2; ++i) {
        Value* x = mul->input(1 - i);
        auto match = MatchAround(graph, *mul, x, mul->input(i));
        if (!match) continue;
        if (!KnownFloat({x, mul->output(0), match->sigmoid->output(0)})) {
          Explain(name(), *mul, "the computation is not known to be in float");
          break;
        }
        if (!CanUseMicrosoftDomain(model)) {
          Explain(name(), *mul, "the model imports another version of com.microsoft");
          break;
        }
        Node* quick_gelu = graph.createNode("QuickGelu", {x}, 1, mul->output(0)->name(), mul);
        quick_gelu->setOpType("QuickGelu", std::string(kMicrosoftDomain));
        quick_gelu->setAttribute(Attribute::Float("alpha", static_cast<float>(match->alpha)));
        ImportMicrosoftDomain(model);
        ONNXKIT_CHECK(ReplaceKeepingType(mul->output(0), quick_gelu->output(0)), "fuse-quick-gelu-ort: output replacement");
        RemoveUnusedNodes(graph, {mul, match->sigmoid, match->scale}, removed);
        ++fused;
        break;
      }
    }
  });
  return fused;
}

}  // namespace onnxkit
