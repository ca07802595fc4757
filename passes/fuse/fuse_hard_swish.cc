#include "passes/fuse/fuse_hard_swish.h"

#include <cmath>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fuse_hard_sigmoid.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPass = "fuse-hard-swish";
constexpr double kSixth = 1.0 / 6.0;

// The producer of `value` when it is a single-output default-domain node of `user`'s graph whose
// output is used only by `user` (and is not a graph output).
Node* SoleProducer(const Value* value, const Node& user) {
  if (!value || value->isGraphOutput() || value->uses().size() != 1 || value->uses()[0].user != &user) return nullptr;
  Node* producer = value->producer();
  if (!producer || producer->owner() != user.owner() || !producer->isOnnxDomain() || producer->outputCount() != 1)
    return nullptr;
  return producer;
}

bool Near(double value, double target, double relative) { return std::abs(value - target) <= relative * std::abs(target); }

struct SwishMatch {
  Value* x = nullptr;
  std::vector<Node*> nodes;  // root first, consumers before producers
};

// Mul(x, HardSigmoid(x)) or Mul(x, decomposed hard sigmoid of x).
std::optional<SwishMatch> MatchTimesHardSigmoid(Node& root, int64_t opset, std::string& why) {
  if (!root.is("Mul") || root.inputCount() != 2 || root.outputCount() != 1) return std::nullopt;
  for (size_t i = 0; i < 2; ++i) {
    Value* x = root.input(1 - i);
    Node* producer = SoleProducer(root.input(i), root);
    if (!producer) continue;
    if (producer->is("HardSigmoid")) {
      if (producer->input(0) != x) continue;
      double alpha = producer->getFloat("alpha", 0.2f);
      double beta = producer->getFloat("beta", 0.5f);
      if (!Near(alpha, kSixth, hard_sigmoid::TypeEpsilon(DataType::kFloat)) || beta != 0.5) {
        why = "the HardSigmoid's alpha/beta are not 1/6 and 1/2";
        continue;
      }
      DataType type = x->elemType();
      if (type != DataType::kFloat && type != DataType::kFloat16) {
        why = "x's element type is not declared float or float16";
        continue;
      }
      return SwishMatch{x, {&root, producer}};
    }
    std::string reason;
    auto affine = hard_sigmoid::MatchDecomposed(*producer, opset, reason);
    if (!affine) {
      if (!reason.empty()) why = reason;
      continue;
    }
    if (affine->input != x) {
      why = "the hard sigmoid does not read the multiplied value";
      continue;
    }
    double epsilon = hard_sigmoid::TypeEpsilon(affine->type);
    if (!Near(affine->alpha, kSixth, epsilon) || !Near(affine->beta, 0.5, epsilon)) {
      why = "the hard sigmoid's alpha/beta are not 1/6 and 1/2";
      continue;
    }
    SwishMatch match{x, {&root}};
    match.nodes.insert(match.nodes.end(), affine->nodes.begin(), affine->nodes.end());
    return match;
  }
  return std::nullopt;
}

// Div(Mul(x, clamp(x + b, 0, hi)), hi) or Mul(Mul(x, clamp(..)), 1/hi), with b / hi = 1/2 and
// 1 / hi = 1/6.
std::optional<SwishMatch> MatchScaledProduct(Node& root, int64_t opset, std::string& why) {
  bool mul = root.is("Mul");
  if ((!mul && !root.is("Div")) || root.inputCount() != 2 || root.outputCount() != 1) return std::nullopt;
  for (size_t i = 0; i < (mul ? 2u : 1u); ++i) {
    auto scale = hard_sigmoid::ScalarConstant(root.input(1 - i));
    Node* product = SoleProducer(root.input(i), root);
    if (!scale || !product || !product->is("Mul") || product->inputCount() != 2) continue;
    for (size_t j = 0; j < 2; ++j) {
      Value* x = product->input(1 - j);
      Node* last = SoleProducer(product->input(j), *product);
      auto clamp = last ? hard_sigmoid::MatchClamp(*last, opset) : std::nullopt;
      if (!clamp) continue;
      Node* add = SoleProducer(clamp->input, *clamp->nodes.back());
      if (!add || !add->is("Add") || add->inputCount() != 2) {
        why = "the clamped value is not x + 3";
        continue;
      }
      std::optional<std::pair<TensorPtr, double>> shift;
      if (add->input(0) == x) shift = hard_sigmoid::ScalarConstant(add->input(1));
      else if (add->input(1) == x) shift = hard_sigmoid::ScalarConstant(add->input(0));
      if (!shift) {
        why = "the clamped value is not x + a constant";
        continue;
      }
      std::vector<TensorPtr> constants = clamp->constants;
      constants.push_back(scale->first);
      constants.push_back(shift->first);
      DataType type = hard_sigmoid::CheckConstants(constants, x, why);
      if (type == DataType::kUndefined) continue;
      double high = clamp->high;
      if (clamp->low != 0 || !(high > 0) || !std::isfinite(high)) {
        why = "the clamp is not to [0, hi] with hi > 0";
        continue;
      }
      double epsilon = hard_sigmoid::TypeEpsilon(type);
      double alpha = mul ? scale->second : 1.0 / high;
      bool exact_scale = mul ? std::abs(scale->second * high - 1.0) <= epsilon : scale->second == high;
      if (!exact_scale) {
        why = "the scale does not bring the clamp's upper bound to 1";
        continue;
      }
      double beta = shift->second * alpha;
      if (!Near(alpha, kSixth, epsilon) || !Near(beta, 0.5, epsilon)) {
        why = "the pattern is not x clamp(x + 3, 0, 6) / 6";
        continue;
      }
      SwishMatch match{x, {&root, product}};
      match.nodes.insert(match.nodes.end(), clamp->nodes.begin(), clamp->nodes.end());
      match.nodes.push_back(add);
      return match;
    }
  }
  return std::nullopt;
}

}  // namespace

Result<size_t> FuseHardSwish::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  if (opset < 14) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !(node->is("Mul") || node->is("Div"))) continue;
      std::string why;
      auto match = MatchTimesHardSigmoid(*node, opset, why);
      if (!match) match = MatchScaledProduct(*node, opset, why);
      if (!match) {
        if (!why.empty()) Explain(kPass, *node, why);
        continue;
      }
      Value* old_output = node->output(0);
      Node* hard_swish = graph.createNode("HardSwish", {match->x}, 1, old_output->name(), node);
      hard_swish->mutableMetadata()->set_domain("");  // written as the parser and exporters write it
      ONNXKIT_CHECK(ReplaceValue(old_output, hard_swish->output(0)), "fuse-hard-swish: output replacement");
      for (Node* n : match->nodes) {
        removed.insert(n);
        graph.removeNode(n);
      }
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
