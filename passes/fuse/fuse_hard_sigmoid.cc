#include "passes/fuse/fuse_hard_sigmoid.h"

#include <cmath>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit {
namespace hard_sigmoid {
namespace {

// The producer of `value` when it is a single-output default-domain node of `user`'s graph whose
// output is used only by `user` (and is not a graph output).
Node* SoleProducer(const Value* value, const Node& user) {
  if (!value || value->isGraphOutput() || value->uses().size() != 1 || value->uses()[0].user != &user) return nullptr;
  Node* producer = value->producer();
  if (!producer || producer->owner() != user.owner() || !producer->isOnnxDomain() || producer->outputCount() != 1)
    return nullptr;
  return producer;
}

// For a two-input `node` with a one-element floating constant operand (input 1, or input 0 when
// `commutative`): the other operand and the constant.
struct WithConstant {
  Value* operand;
  TensorPtr tensor;
  double value;
};
// Before opset 7, Add/Mul/Div broadcast only their second input, and only with broadcast = 1.
bool BroadcastsConstant(const Node& node, size_t constant_index, int64_t opset) {
  return opset >= 7 || (constant_index == 1 && node.getInt("broadcast", 0) == 1);
}

std::optional<WithConstant> SplitConstant(const Node& node, bool commutative, int64_t opset) {
  if (node.inputCount() != 2 || node.outputCount() != 1) return std::nullopt;
  for (size_t i : {size_t{1}, size_t{0}}) {
    if (i == 0 && !commutative) break;
    if (!BroadcastsConstant(node, i, opset)) continue;
    if (auto constant = ScalarConstant(node.input(i))) return WithConstant{node.input(1 - i), constant->first, constant->second};
  }
  return std::nullopt;
}

// Min/Max of two inputs, one a constant: the other operand and the constant.
std::optional<WithConstant> MinMaxOperands(const Node& node, int64_t opset) {
  // Min and Max broadcast from opset 8.
  return node.inputCount() == 2 && opset >= 8 ? SplitConstant(node, /*commutative=*/true, opset) : std::nullopt;
}

}  // namespace

std::optional<std::pair<TensorPtr, double>> ScalarConstant(const Value* value) {
  TensorPtr tensor = ConstantTensor(value);
  if (!tensor || tensor->elementCount() != 1 || !IsFloatingPoint(tensor->dtype())) return std::nullopt;
  return std::make_pair(tensor, tensor->ElementAsDouble(0));
}

double TypeEpsilon(DataType type) {
  switch (type) {
    case DataType::kFloat16: return std::ldexp(1.0, -10);
    case DataType::kBfloat16: return std::ldexp(1.0, -7);
    case DataType::kFloat: return std::ldexp(1.0, -23);
    default: return std::ldexp(1.0, -52);
  }
}

std::optional<Clamp> MatchClamp(Node& last, int64_t opset) {
  Clamp clamp;
  if (last.outputCount() != 1) return std::nullopt;
  if (last.is("Clip")) {
    if (opset < 6 || last.inputCount() < 1) return std::nullopt;
    if (opset < 11) {
      const Attribute* low = last.attribute("min");
      const Attribute* high = last.attribute("max");
      if (last.inputCount() != 1 || !low || !high) return std::nullopt;
      clamp.low = low->f();
      clamp.high = high->f();
    } else {
      auto low = ScalarConstant(last.input(1));
      auto high = ScalarConstant(last.input(2));
      if (!low || !high || last.inputCount() != 3) return std::nullopt;
      clamp.low = low->second;
      clamp.high = high->second;
      clamp.constants = {low->first, high->first};
    }
    clamp.input = last.input(0);
    clamp.nodes = {&last};
    return clamp;
  }
  bool is_min = last.is("Min");
  if (!is_min && !last.is("Max")) return std::nullopt;
  auto outer = MinMaxOperands(last, opset);
  if (!outer) return std::nullopt;
  Node* inner = SoleProducer(outer->operand, last);
  if (!inner) return std::nullopt;
  if (is_min && inner->is("Relu") && inner->inputCount() == 1) {
    clamp.low = 0;
    clamp.high = outer->value;
    clamp.input = inner->input(0);
    clamp.constants = {outer->tensor};
  } else if (inner->is(is_min ? "Max" : "Min")) {
    auto operands = MinMaxOperands(*inner, opset);
    if (!operands) return std::nullopt;
    clamp.low = is_min ? operands->value : outer->value;
    clamp.high = is_min ? outer->value : operands->value;
    clamp.input = operands->operand;
    clamp.constants = {outer->tensor, operands->tensor};
  } else {
    return std::nullopt;
  }
  clamp.nodes = {&last, inner};
  return clamp;
}

DataType CheckConstants(const std::vector<TensorPtr>& constants, const Value* x, std::string& why) {
  if (constants.empty()) {
    why = "no constant gives the element type";
    return DataType::kUndefined;
  }
  DataType type = constants.front()->dtype();
  if (type != DataType::kFloat && type != DataType::kFloat16 && type != DataType::kDouble) {
    why = "the element type is not float16, float or double";
    return DataType::kUndefined;
  }
  for (const TensorPtr& t : constants)
    if (t->dtype() != type) {
      why = "the constants have different element types";
      return DataType::kUndefined;
    }
  if (x->elemType() != DataType::kUndefined && x->elemType() != type) {
    why = "the constants' element type is not x's";
    return DataType::kUndefined;
  }
  std::optional<int64_t> rank = x->rank();
  for (const TensorPtr& t : constants)
    if (t->rank() > 0 && (!rank || static_cast<int64_t>(t->rank()) > *rank)) {
      why = "a constant has a rank that could widen the result";
      return DataType::kUndefined;
    }
  return type;
}

std::optional<Affine> MatchDecomposed(Node& root, int64_t opset, std::string& why) {
  auto fail = [&](std::string reason) {
    why = std::move(reason);
    return std::nullopt;
  };
  if (opset < 6 || root.outputCount() != 1) return std::nullopt;
  Affine affine;
  std::optional<Clamp> clamp;
  bool first_form = false;
  std::optional<WithConstant> scale;
  // First form: Div(clamp, hi) or Mul(clamp, 1/hi).
  if ((root.is("Div") || root.is("Mul")) && root.inputCount() == 2) {
    bool mul = root.is("Mul");
    for (size_t i = 0; i < (mul ? 2u : 1u) && !clamp; ++i) {
      Node* last = SoleProducer(root.input(i), root);
      if (!last) continue;
      clamp = MatchClamp(*last, opset);
      if (!clamp) continue;
      auto constant = ScalarConstant(root.input(1 - i));
      if (constant && BroadcastsConstant(root, 1 - i, opset))
        scale = WithConstant{root.input(i), constant->first, constant->second};
    }
    if (!clamp) return std::nullopt;
    if (!scale) return fail("the clamp is not scaled by a constant");
    first_form = true;
  } else {
    clamp = MatchClamp(root, opset);
    if (!clamp) return std::nullopt;
  }
  if (first_form) affine.nodes.push_back(&root);
  affine.nodes.insert(affine.nodes.end(), clamp->nodes.begin(), clamp->nodes.end());
  affine.constants = clamp->constants;
  Node* inner = clamp->nodes.back();  // the clamp node that reads its input
  Value* v = clamp->input;

  if (first_form) {
    double high = clamp->high;
    if (clamp->low != 0 || !(high > 0) || !std::isfinite(high)) return fail("the clamp is not to [0, hi] with hi > 0");
    affine.constants.push_back(scale->tensor);
    double b = 0;
    Node* add = SoleProducer(v, *inner);
    std::optional<WithConstant> shift;
    if (add && add->is("Add")) shift = SplitConstant(*add, /*commutative=*/true, opset);
    if (shift) {
      affine.nodes.push_back(add);
      affine.constants.push_back(shift->tensor);
      affine.input = shift->operand;
      b = shift->value;
    } else {
      affine.input = v;
    }
    DataType type = CheckConstants(affine.constants, affine.input, why);
    if (type == DataType::kUndefined) return std::nullopt;
    if (root.is("Div")) {
      if (scale->value != high) return fail("the clamp's upper bound is not the divisor");
      affine.alpha = 1.0 / high;
      affine.beta = b / high;
    } else {
      if (std::abs(scale->value * high - 1.0) > TypeEpsilon(type))
        return fail("the clamp's upper bound times the factor is not 1");
      affine.alpha = scale->value;
      affine.beta = b * scale->value;
    }
    affine.type = type;
  } else {
    if (clamp->low != 0 || clamp->high != 1) return std::nullopt;  // a plain clamp
    Node* outer = SoleProducer(v, *inner);
    if (!outer) return fail("the clamped value is not an affine function of one input");
    // Returns the scaled operand and the factor of Mul(u, a) / Div(u, d), or nullopt.
    auto scaling = [&](Node& node) -> std::optional<std::pair<WithConstant, double>> {
      bool mul = node.is("Mul");
      if (!mul && !node.is("Div")) return std::nullopt;
      auto with = SplitConstant(node, mul, opset);
      if (!with || (!mul && with->value == 0)) return std::nullopt;
      return std::make_pair(*with, mul ? with->value : 1.0 / with->value);
    };
    if (outer->is("Add")) {
      auto shift = SplitConstant(*outer, /*commutative=*/true, opset);
      if (!shift) return fail("the Add has no constant operand");
      affine.nodes.push_back(outer);
      affine.constants.push_back(shift->tensor);
      affine.beta = shift->value;
      affine.alpha = 1;
      affine.input = shift->operand;
      if (Node* scale_node = SoleProducer(shift->operand, *outer)) {
        if (auto factor = scaling(*scale_node)) {
          affine.nodes.push_back(scale_node);
          affine.constants.push_back(factor->first.tensor);
          affine.alpha = factor->second;
          affine.input = factor->first.operand;
        }
      }
    } else if (auto factor = scaling(*outer)) {
      affine.nodes.push_back(outer);
      affine.constants.push_back(factor->first.tensor);
      affine.alpha = factor->second;
      affine.beta = 0;
      affine.input = factor->first.operand;
      if (Node* add = SoleProducer(factor->first.operand, *outer); add && add->is("Add")) {
        if (auto shift = SplitConstant(*add, /*commutative=*/true, opset)) {
          affine.nodes.push_back(add);
          affine.constants.push_back(shift->tensor);
          affine.beta = shift->value * factor->second;
          affine.input = shift->operand;
        }
      }
    } else {
      return fail("the clamped value is not an affine function of one input");
    }
    affine.type = CheckConstants(affine.constants, affine.input, why);
    if (affine.type == DataType::kUndefined) return std::nullopt;
  }
  if (!std::isfinite(affine.alpha) || !std::isfinite(affine.beta)) return fail("alpha or beta is not finite");
  return affine;
}

}  // namespace hard_sigmoid

Result<size_t> FuseHardSigmoid::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  if (opset < 6) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node)) continue;
      std::string why;
      auto match = hard_sigmoid::MatchDecomposed(*node, opset, why);
      if (match && match->type == DataType::kDouble &&
          (static_cast<double>(static_cast<float>(match->alpha)) != match->alpha ||
           static_cast<double>(static_cast<float>(match->beta)) != match->beta)) {
        why = "alpha or beta of a double model is not exactly a float";
        match.reset();
      }
      if (!match) {
        if (!why.empty()) Explain(name(), *node, why);
        continue;
      }
      Value* old_output = node->output(0);
      Node* hard_sigmoid = graph.createNode("HardSigmoid", {match->input}, 1, old_output->name(), node);
      hard_sigmoid->mutableMetadata()->set_domain("");  // written as the parser and exporters write it
      hard_sigmoid->setAttribute(Attribute::Float("alpha", static_cast<float>(match->alpha)));
      hard_sigmoid->setAttribute(Attribute::Float("beta", static_cast<float>(match->beta)));
      ONNXKIT_CHECK(ReplaceValue(old_output, hard_sigmoid->output(0)), "fuse-hard-sigmoid: output replacement");
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
