#include "passes/fuse/fuse_gelu.h"

#include <cmath>
#include <numbers>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPass = "fuse-gelu";
constexpr double kRelativeTolerance = 1e-4;

// The producer of `value` when it is a node of `graph` with this op type whose only output use
// is `user` (and the output is not a graph output).
Node* SoleProducer(const Value* value, const Node& user, std::string_view op_type) {
  if (!value || value->isGraphOutput() || value->uses().size() != 1 || value->uses()[0].user != &user) return nullptr;
  Node* producer = value->producer();
  if (!producer || producer->owner() != user.owner() || !producer->is(op_type) || producer->outputCount() != 1)
    return nullptr;
  return producer;
}

// The only user of `value` when it is a `op_type` node of the same graph and `value` is not a
// graph output.
Node* SoleUser(const Value* value, const Graph& graph, std::string_view op_type) {
  if (!value || value->isGraphOutput() || value->uses().size() != 1) return nullptr;
  Node* user = value->uses()[0].user;
  if (user->owner() != &graph || !user->is(op_type) || user->outputCount() != 1) return nullptr;
  return user;
}

// What a match collected: the nodes to remove (consumers before producers) and the constants
// whose type and rank are checked at the end.
struct Collected {
  std::vector<Node*> nodes;
  std::vector<TensorPtr> constants;  // of x's element type
  std::vector<TensorPtr> exponents;  // any numeric type
};

double RoundToType(double value, DataType type) {
  switch (type) {
    case DataType::kFloat: return static_cast<float>(value);
    case DataType::kFloat16: return HalfToFloat(FloatToHalf(static_cast<float>(value)));
    case DataType::kBfloat16: return BfloatToFloat(FloatToBfloat(static_cast<float>(value)));
    default: return value;
  }
}

// A constant that approximates an irrational `target`: within the relative tolerance, or equal
// to `target` rounded to the constant's type.
bool Approximates(const TensorPtr& tensor, double target) {
  double value = tensor->ElementAsDouble(0);
  return std::abs(value - target) <= kRelativeTolerance * std::abs(target) ||
         value == RoundToType(target, tensor->dtype());
}

// For a binary `node` with a one-element floating constant operand (input 1; or input 0 when
// `commutative`), the other operand, and the constant.
std::optional<std::pair<Value*, TensorPtr>> WithConstant(const Node& node, bool commutative) {
  if (node.inputCount() != 2) return std::nullopt;
  for (size_t i : {size_t{1}, size_t{0}}) {
    if (i == 0 && !commutative) break;
    TensorPtr tensor = ConstantTensor(node.input(i));
    if (tensor && tensor->elementCount() == 1 && IsFloatingPoint(tensor->dtype()))
      return std::make_pair(node.input(1 - i), tensor);
  }
  return std::nullopt;
}

// `node` halves `operand`: Mul(operand, 0.5) in either order or Div(operand, 2).
bool Halves(const Node& node, const Value* operand, Collected& collected) {
  if (node.outputCount() != 1) return false;
  bool mul = node.is("Mul");
  if (!mul && !node.is("Div")) return false;
  auto with = WithConstant(node, mul);
  if (!with || with->first != operand || with->second->ElementAsDouble(0) != (mul ? 0.5 : 2.0)) return false;
  collected.constants.push_back(with->second);
  return true;
}

// The other operand of a two-input Mul when one of them is `operand`.
Value* OtherMulOperand(const Node& mul, const Value* operand) {
  if (!mul.is("Mul") || mul.inputCount() != 2 || mul.outputCount() != 1) return nullptr;
  if (mul.input(0) == operand) return mul.input(1);
  if (mul.input(1) == operand) return mul.input(0);
  return nullptr;
}

// The product 0.5 * x * a (a = 1 + erf(..) or 1 + tanh(..)) in its three arrangements; returns
// the node producing it, adding the product's nodes (root first) to `collected`.
Node* MatchHalfProduct(Value* a, Value* x, const Graph& graph, Collected& collected) {
  if (!a || a->isGraphOutput() || a->uses().size() != 1) return nullptr;
  Node* user = a->uses()[0].user;
  if (user->owner() != &graph) return nullptr;
  // Mul(x, Halve(a)).
  if (Halves(*user, a, collected)) {
    Node* root = user->output(0) ? SoleUser(user->output(0), graph, "Mul") : nullptr;
    if (!root || OtherMulOperand(*root, user->output(0)) != x) return nullptr;
    collected.nodes.insert(collected.nodes.end(), {root, user});
    return root;
  }
  Value* other = OtherMulOperand(*user, a);
  if (!other) return nullptr;
  // Halve(Mul(x, a)).
  if (other == x) {
    const Value* product = user->output(0);
    if (!product || product->isGraphOutput() || product->uses().size() != 1) return nullptr;
    Node* root = product->uses()[0].user;
    if (root->owner() != &graph || !Halves(*root, product, collected)) return nullptr;
    collected.nodes.insert(collected.nodes.end(), {root, user});
    return root;
  }
  // Mul(Halve(x), a).
  Node* half = other->producer();
  if (!half || half->owner() != &graph || other->isGraphOutput() || other->uses().size() != 1 ||
      !Halves(*half, x, collected))
    return nullptr;
  collected.nodes.insert(collected.nodes.end(), {user, half});
  return user;
}

// a = Add(f, 1) with f the output of `f_node`; returns the Add.
Node* MatchAddOne(const Node& f_node, Collected& collected) {
  Node* add = SoleUser(f_node.output(0), *f_node.owner(), "Add");
  if (!add) return nullptr;
  auto with = WithConstant(*add, /*commutative=*/true);
  if (!with || with->first != f_node.output(0) || with->second->ElementAsDouble(0) != 1.0) return nullptr;
  collected.constants.push_back(with->second);
  return add;
}

struct GeluMatch {
  Value* x = nullptr;
  Node* root = nullptr;
  bool tanh = false;
  Collected collected;
};

// Erf(Div(x, sqrt 2)) or Erf(Mul(x, 1/sqrt 2)), then Add 1, then the half product.
std::optional<GeluMatch> MatchErfForm(Node& erf, std::string& why) {
  GeluMatch match;
  Collected& c = match.collected;
  const Graph& graph = *erf.owner();
  auto fail = [&](std::string reason) {
    why = std::move(reason);
    return std::nullopt;
  };
  if (erf.inputCount() != 1 || erf.outputCount() != 1) return fail("not a unary Erf");
  Node* scale = SoleProducer(erf.input(0), erf, "Div");
  double target = std::numbers::sqrt2;
  if (!scale) {
    scale = SoleProducer(erf.input(0), erf, "Mul");
    target = 1.0 / std::numbers::sqrt2;
  }
  if (!scale) return fail("the Erf's input is not Div(x, sqrt 2) or Mul(x, 1/sqrt 2) used only by it");
  auto with = WithConstant(*scale, scale->is("Mul"));
  if (!with || !Approximates(with->second, target)) return fail("the Erf's input is not x scaled by 1/sqrt 2");
  c.constants.push_back(with->second);
  match.x = with->first;
  Node* add = MatchAddOne(erf, c);
  if (!add) return fail("the Erf's output is not used only by Add(erf, 1)");
  match.root = MatchHalfProduct(add->output(0), match.x, graph, c);
  if (!match.root) return fail("1 + erf(x / sqrt 2) is not multiplied by x and 0.5 (with no other uses)");
  c.nodes.insert(c.nodes.end(), {add, &erf, scale});
  return match;
}

// The cube of x: Pow(x, 3), Mul(Mul(x, x), x) or Mul(x, Mul(x, x)), used only by `user`.
bool MatchCube(const Value* cube, const Value* x, const Node& user, Collected& collected) {
  if (Node* pow = SoleProducer(cube, user, "Pow")) {
    TensorPtr exponent = ConstantTensor(pow->input(1));
    if (pow->input(0) != x || !exponent || exponent->elementCount() != 1 || exponent->dtype() == DataType::kString ||
        exponent->dtype() == DataType::kBool || exponent->ElementAsDouble(0) != 3.0)
      return false;
    collected.exponents.push_back(exponent);
    collected.nodes.push_back(pow);
    return true;
  }
  Node* outer = SoleProducer(cube, user, "Mul");
  if (!outer || outer->inputCount() != 2) return false;
  for (size_t i = 0; i < 2; ++i) {
    if (outer->input(1 - i) != x) continue;
    Node* inner = SoleProducer(outer->input(i), *outer, "Mul");
    if (inner && inner->inputCount() == 2 && inner->input(0) == x && inner->input(1) == x) {
      collected.nodes.insert(collected.nodes.end(), {outer, inner});
      return true;
    }
  }
  return false;
}

// Tanh(Mul(Add(x, Mul(cube(x), 0.044715)), sqrt(2/pi))), then Add 1, then the half product.
std::optional<GeluMatch> MatchTanhForm(Node& tanh, std::string& why) {
  GeluMatch match;
  match.tanh = true;
  Collected& c = match.collected;
  const Graph& graph = *tanh.owner();
  auto fail = [&](std::string reason) {
    why = std::move(reason);
    return std::nullopt;
  };
  if (tanh.inputCount() != 1 || tanh.outputCount() != 1) return fail("not a unary Tanh");
  Node* scale = SoleProducer(tanh.input(0), tanh, "Mul");
  auto scaled = scale ? WithConstant(*scale, true) : std::nullopt;
  if (!scaled || !Approximates(scaled->second, std::sqrt(2.0 / std::numbers::pi)))
    return fail("the Tanh's input is not Mul(.., sqrt(2/pi)) used only by it");
  c.constants.push_back(scaled->second);
  Node* sum = SoleProducer(scaled->first, *scale, "Add");
  if (!sum || sum->inputCount() != 2) return fail("sqrt(2/pi) does not multiply an Add used only by it");
  // sum = Add(x, Mul(cube(x), 0.044715)) in either order.
  std::vector<Node*> inner_nodes;
  for (size_t i = 0; i < 2 && !match.x; ++i) {
    Value* x = sum->input(i);
    Node* term = SoleProducer(sum->input(1 - i), *sum, "Mul");
    if (!term) continue;
    auto with = WithConstant(*term, true);
    if (!with || !Approximates(with->second, 0.044715)) continue;
    Collected cube;
    if (!MatchCube(with->first, x, *term, cube)) continue;
    match.x = x;
    c.constants.push_back(with->second);
    c.exponents = cube.exponents;
    inner_nodes = {sum, term};
    inner_nodes.insert(inner_nodes.end(), cube.nodes.begin(), cube.nodes.end());
  }
  if (!match.x) return fail("the Tanh's argument is not sqrt(2/pi) (x + 0.044715 x^3)");
  Node* add = MatchAddOne(tanh, c);
  if (!add) return fail("the Tanh's output is not used only by Add(tanh, 1)");
  match.root = MatchHalfProduct(add->output(0), match.x, graph, c);
  if (!match.root) return fail("1 + tanh(..) is not multiplied by x and 0.5 (with no other uses)");
  c.nodes.insert(c.nodes.end(), {add, &tanh, scale});
  c.nodes.insert(c.nodes.end(), inner_nodes.begin(), inner_nodes.end());
  return match;
}

// Conditions on the constants: one element type shared by all (float types), ranks that do not
// widen the result beyond x's.
bool ConstantsFit(const GeluMatch& match, std::string& why) {
  const Collected& c = match.collected;
  DataType type = c.constants.front()->dtype();
  for (const TensorPtr& t : c.constants)
    if (t->dtype() != type) {
      why = "the constants have different element types";
      return false;
    }
  if (match.x->elemType() != DataType::kUndefined && match.x->elemType() != type) {
    why = "the constants' element type is not x's";
    return false;
  }
  std::optional<int64_t> rank = match.x->rank();
  auto fits = [&](const TensorPtr& t) { return t->rank() == 0 || (rank && static_cast<int64_t>(t->rank()) <= *rank); };
  for (const auto* list : {&c.constants, &c.exponents})
    for (const TensorPtr& t : *list)
      if (!fits(t)) {
        why = "a constant has a rank that could widen the result";
        return false;
      }
  return true;
}

}  // namespace

Result<size_t> FuseGelu::run(Model& model) {
  if (model.opsetVersion("").value_or(0) < 20) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node)) continue;
      std::optional<GeluMatch> match;
      std::string why;
      if (node->is("Erf")) match = MatchErfForm(*node, why);
      else if (node->is("Tanh")) match = MatchTanhForm(*node, why);
      else continue;
      if (match && !ConstantsFit(*match, why)) match.reset();
      if (!match) {
        Explain(kPass, *node, why);
        continue;
      }
      Value* old_output = match->root->output(0);
      Node* gelu = graph.createNode("Gelu", {match->x}, 1, old_output->name(), match->root);
      gelu->mutableMetadata()->set_domain("");  // written as the parser and exporters write it
      if (match->tanh) gelu->setAttribute(Attribute::String("approximate", "tanh"));
      ONNXKIT_CHECK(ReplaceValue(old_output, gelu->output(0)), "fuse-gelu: output replacement");
      for (Node* n : match->collected.nodes) {
        removed.insert(n);
        graph.removeNode(n);
      }
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
