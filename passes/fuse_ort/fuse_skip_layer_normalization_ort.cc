#include "passes/fuse_ort/fuse_skip_layer_normalization_ort.h"

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

// input + skip (+ bias) as SkipLayerNormalization takes them.
struct Sum {
  Value* input = nullptr;
  Value* skip = nullptr;
  Value* bias = nullptr;
  Node* inner = nullptr;  // Add(input, skip) when a bias Add follows it
};

// Two operands SkipLayerNormalization accepts: the same known shape of rank 2 or 3, float, a
// known last dimension. (ONNX Runtime's schema allows float, float16 and bfloat16, and its CPU
// kernels float and float16: float is the one type both the original and the fused model run
// at full precision on every execution provider.)
bool SkipOperands(const Value* a, const Value* b) {
  if (!a || !b || !SameShape(a, b) || (*a->rank() != 2 && *a->rank() != 3) || !LastDim(a)) return false;
  return a->elemType() == DataType::kFloat && b->elemType() == DataType::kFloat;
}

std::optional<Sum> MatchSum(const Graph& graph, const Node& add) {
  if (add.inputCount() != 2) return std::nullopt;
  for (size_t k = 0; k < 2; ++k) {
    Value* partial = add.input(k);
    Value* bias = add.input(1 - k);
    Node* inner = ProducerIn(graph, partial, "Add");
    if (!inner || !HasSingleUse(partial) || inner->inputCount() != 2) continue;
    Value* a = inner->input(0);
    Value* b = inner->input(1);
    if (SkipOperands(a, b) && IsVectorOf(bias, *LastDim(a)) && bias->elemType() == a->elemType())
      return Sum{a, b, bias, inner};
  }
  if (SkipOperands(add.input(0), add.input(1))) return Sum{add.input(0), add.input(1), nullptr, nullptr};
  return std::nullopt;
}

bool Unused(const Value* value) { return !value || (!value->hasUses() && !value->isGraphOutput()); }

bool Fuse(Model& model, Graph& graph, Node& ln, std::string_view pass, std::unordered_set<const Node*>& removed) {
  if (ln.inputCount() < 2 || ln.inputCount() > 3 || !ln.input(0) || !ln.input(1) || !ln.output(0)) return false;
  if (!Unused(ln.output(1)) || !Unused(ln.output(2)) || ln.getInt("stash_type", 1) != 1) {
    Explain(pass, ln, "its Mean/InvStdDev outputs are used or its stash_type is not 1");
    return false;
  }
  Value* s = ln.input(0);
  Node* add = ProducerIn(graph, s, "Add");
  std::optional<Sum> sum = add ? MatchSum(graph, *add) : std::nullopt;
  if (!sum) {
    Explain(pass, ln, "its input is not Add(a, b) (+ bias) of two tensors of the same known rank-2/3 shape");
    return false;
  }
  int64_t rank = *sum->input->rank();
  int64_t axis = ln.getInt("axis", -1);
  if (axis != -1 && axis != rank - 1) {
    Explain(pass, ln, "it does not normalize the last axis only");
    return false;
  }
  int64_t hidden = *LastDim(sum->input);
  DataType type = sum->input->elemType();
  Value* gamma = ln.input(1);
  Value* beta = ln.input(2);
  if (!IsVectorOf(gamma, hidden) || gamma->elemType() != type ||
      (beta && (!IsVectorOf(beta, hidden) || beta->elemType() != type))) {
    Explain(pass, ln, "its scale or bias is not a 1-D tensor of the last dimension's size and the input's type");
    return false;
  }
  if (!CanUseMicrosoftDomain(model)) {
    Explain(pass, ln, "the model imports another version of com.microsoft");
    return false;
  }

  // The sum's other users (and a graph output) take output 3.
  bool sum_used_elsewhere = s->isGraphOutput();
  for (const Use& use : s->uses()) sum_used_elsewhere = sum_used_elsewhere || use.user != &ln;
  std::vector<std::string> output_names = {graph.freshName(ln.output(0)->name())};
  if (sum_used_elsewhere) {
    output_names.push_back("");
    output_names.push_back("");
    output_names.push_back(graph.freshName(s->name()));
  }
  Node* fused = graph.createNodeWithOutputNames("SkipLayerNormalization", output_names);
  fused->setOpType("SkipLayerNormalization", std::string(kMicrosoftDomain));
  std::vector<Value*> inputs = {sum->input, sum->skip, gamma, beta, sum->bias};
  while (!inputs.back()) inputs.pop_back();
  for (Value* input : inputs) fused->addInput(input);
  graph.moveBefore(fused, &ln);
  if (!ln.name().empty()) fused->setName(ln.name());
  fused->setAttribute(Attribute::Float("epsilon", ln.getFloat("epsilon", 1e-5f)));
  ImportMicrosoftDomain(model);
  ONNXKIT_CHECK(ReplaceKeepingType(ln.output(0), fused->output(0)), "fuse-skip-layer-normalization-ort: output");
  if (sum_used_elsewhere)
    ONNXKIT_CHECK(ReplaceKeepingType(s, fused->output(3)), "fuse-skip-layer-normalization-ort: sum output");
  RemoveUnusedNodes(graph, {&ln, add, sum->inner}, removed);
  return true;
}

}  // namespace

Result<size_t> FuseSkipLayerNormalizationOrt::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !node->is("LayerNormalization")) continue;
      if (Fuse(model, graph, *node, name(), removed)) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
