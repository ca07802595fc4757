#include "passes/fuse_ort/fuse_layer_normalization_ort.h"

#include <optional>
#include <unordered_set>
#include <vector>

#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

// A ReduceMean over exactly the last axis of a rank-`rank` input, keeping that axis.
bool ReducesLastAxis(const Node& node, int64_t rank) {
  if (!node.is("ReduceMean") || node.inputCount() != 1 || node.getInt("keepdims", 1) != 1) return false;
  std::optional<std::vector<int64_t>> axes = node.getInts("axes");
  return axes && axes->size() == 1 && ((*axes)[0] == -1 || (*axes)[0] == rank - 1);
}

// The node that squares d: Pow(d, 2) or Mul(d, d), producing p.
Node* Square(const Graph& graph, Value* p, const Value* d, std::optional<int64_t> rank) {
  if (!HasSingleUse(p)) return nullptr;
  if (Node* pow = ProducerIn(graph, p, "Pow")) {
    std::optional<double> exponent = ScalarConstant(pow->input(1), rank, DataType::kUndefined, true);
    return pow->input(0) == d && exponent && *exponent == 2.0 ? pow : nullptr;
  }
  Node* mul = ProducerIn(graph, p, "Mul");
  return mul && mul->inputCount() == 2 && mul->input(0) == d && mul->input(1) == d ? mul : nullptr;
}

bool Fuse(Graph& graph, Node& div, std::string_view pass, std::unordered_set<const Node*>& removed) {
  if (div.inputCount() != 2) return false;
  Value* d = div.input(0);
  Value* s = div.input(1);
  Node* sub = ProducerIn(graph, d, "Sub");
  Node* sqrt = ProducerIn(graph, s, "Sqrt");
  if (!sub || !sqrt || sub->inputCount() != 2 || !HasSingleUse(s)) {
    Explain(pass, div, "not Div(Sub(..), Sqrt(..)) with the Sqrt used only by it");
    return false;
  }
  Value* x = sub->input(0);
  Value* mean = sub->input(1);
  DataType type = x ? x->elemType() : DataType::kUndefined;
  std::optional<int64_t> rank = x ? x->rank() : std::nullopt;
  std::optional<int64_t> hidden = LastDim(x);
  if ((type != DataType::kFloat && type != DataType::kDouble) || !hidden) {
    Explain(pass, div, "the normalized input is not float/double with a known last dimension");
    return false;
  }
  Node* first_mean = ProducerIn(graph, mean, "ReduceMean");
  if (!first_mean || !HasSingleUse(mean) || first_mean->input(0) != x || !ReducesLastAxis(*first_mean, *rank)) {
    Explain(pass, div, "the Sub does not subtract ReduceMean over the last axis of the same input");
    return false;
  }
  Node* add_eps = ProducerIn(graph, sqrt->input(0), "Add");
  if (!add_eps || !HasSingleUse(sqrt->input(0)) || add_eps->inputCount() != 2) {
    Explain(pass, div, "the Sqrt's input is not an Add used only by it");
    return false;
  }
  Node* second_mean = nullptr;
  std::optional<double> epsilon;
  for (size_t k = 0; k < 2 && !second_mean; ++k) {
    epsilon = ScalarConstant(add_eps->input(1 - k), rank, type);
    Value* variance = add_eps->input(k);
    Node* candidate = ProducerIn(graph, variance, "ReduceMean");
    if (epsilon && *epsilon >= 0.0 && candidate && HasSingleUse(variance) && ReducesLastAxis(*candidate, *rank))
      second_mean = candidate;
  }
  if (!second_mean) {
    Explain(pass, div, "the variance is not ReduceMean over the last axis plus a constant epsilon >= 0");
    return false;
  }
  Node* square = Square(graph, second_mean->input(0), d, rank);
  if (!square || !UsedOnlyByNodes(d, {square, &div}) || d->uses().size() != (square->is("Pow") ? 2u : 3u)) {
    Explain(pass, div, "the variance is not the mean of (x - mean)^2, or x - mean has other uses");
    return false;
  }
  Value* normalized = div.output(0);
  Node* mul = HasSingleUse(normalized) ? normalized->uses()[0].user : nullptr;
  if (!mul || mul->owner() != &graph || !mul->is("Mul") || mul->inputCount() != 2) {
    Explain(pass, div, "the normalized value is not used only by a Mul");
    return false;
  }
  Value* gamma = OtherInput(*mul, normalized);
  if (gamma == normalized || !IsVectorOf(gamma, *hidden) || gamma->elemType() != type) {
    Explain(pass, div, "the scale is not a 1-D tensor of the last dimension's size and the input's type");
    return false;
  }
  Value* output = mul->output(0);
  Node* add_beta = HasSingleUse(output) ? output->uses()[0].user : nullptr;
  Value* beta = nullptr;
  if (add_beta && add_beta->owner() == &graph && add_beta->is("Add") && add_beta->inputCount() == 2) {
    beta = OtherInput(*add_beta, output);
    if (beta != output && IsVectorOf(beta, *hidden) && beta->elemType() == type) {
      output = add_beta->output(0);
    } else {
      beta = nullptr;
    }
  }
  if (!beta) add_beta = nullptr;

  std::vector<Value*> inputs = {x, gamma};
  if (beta) inputs.push_back(beta);
  Node* fused = graph.createNode("LayerNormalization", inputs, 1, output->name(), output->producer());
  fused->mutableMetadata()->set_domain("");  // as the nodes it replaces (and the text syntax) write it
  fused->setAttribute(Attribute::Int("axis", -1));
  fused->setAttribute(Attribute::Float("epsilon", static_cast<float>(*epsilon)));
  ONNXKIT_CHECK(ReplaceKeepingType(output, fused->output(0)), "fuse-layer-normalization-ort: output replacement");
  RemoveUnusedNodes(graph, {add_beta, mul, &div, sqrt, add_eps, second_mean, square, sub, first_mean}, removed);
  return true;
}

}  // namespace

Result<size_t> FuseLayerNormalizationOrt::run(Model& model) {
  size_t fused = 0;
  if (model.opsetVersion("").value_or(1) >= 17) return fused;  // fuse-layer-normalization's job
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !node->is("Div")) continue;
      if (Fuse(graph, *node, name(), removed)) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
