#include "passes/fuse_ort/fuse_gelu_ort.h"

#include <cmath>
#include <numbers>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

// Matches the parts of a GELU subgraph around one input x, collecting the nodes that go away.
class GeluMatcher {
 public:
  GeluMatcher(const Graph& graph, Value* x) : graph_(graph), x_(x), rank_(x->rank()) {}

  const std::vector<Node*>& nodes() const { return nodes_; }

  // a = Add(Erf(x / sqrt(2)), 1), the Div possibly written Mul(x, 1 / sqrt(2)).
  bool ErfPlusOne(Value* a) {
    return PlusOne(a, "Erf", [&](Value* d) {
      if (Node* div = Single(d, "Div"))
        return div->input(0) == x_ && IsConstant(div->input(1), std::numbers::sqrt2) && Take(div);
      if (Node* mul = Single(d, "Mul"))
        return TimesConstant(*mul, 1.0 / std::numbers::sqrt2, [&](Value* v) { return v == x_; }) && Take(mul);
      return false;
    });
  }

  // a = Add(Tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)), 1).
  bool TanhPlusOne(Value* a) {
    return PlusOne(a, "Tanh", [&](Value* u) {
      Node* scale = Single(u, "Mul");
      return scale && TimesConstant(*scale, std::sqrt(2.0 / std::numbers::pi), [&](Value* s) {
               Node* sum = Single(s, "Add");
               if (!sum) return false;
               for (size_t k = 0; k < 2; ++k) {
                 if (sum->input(k) != x_) continue;
                 Node* cubic = Single(sum->input(1 - k), "Mul");
                 if (cubic && TimesConstant(*cubic, 0.044715, [&](Value* c) { return Cube(c); }) && Take(cubic))
                   return Take(sum);
               }
               return false;
             }) && Take(scale);
    });
  }

  // A one-element float constant equal to `expected` that keeps x's shape.
  bool IsConstant(const Value* value, double expected) const {
    std::optional<double> c = ScalarConstant(value, rank_, DataType::kFloat);
    return c && Near(*c, expected);
  }

 private:
  // The producer of `value` when it is `op`, in the graph, and `value` is used only once.
  Node* Single(Value* value, std::string_view op) const {
    Node* producer = ProducerIn(graph_, value, op);
    return producer && HasSingleUse(value) && producer->inputCount() >= 1 ? producer : nullptr;
  }

  bool Take(Node* node) {
    nodes_.push_back(node);
    return true;
  }

  // a = Add(F(arg), 1) with F = `op`, and `argument(arg)` matching.
  template <typename Argument>
  bool PlusOne(Value* a, std::string_view op, Argument&& argument) {
    Node* add = Single(a, "Add");
    if (!add || add->inputCount() != 2) return false;
    for (size_t k = 0; k < 2; ++k) {
      if (!IsConstant(add->input(1 - k), 1.0)) continue;
      Node* f = Single(add->input(k), op);
      if (f && argument(f->input(0))) return Take(f) && Take(add);
    }
    return false;
  }

  // mul = Mul(v, c) or Mul(c, v) with constant c == expected and `operand(v)` matching.
  template <typename Operand>
  bool TimesConstant(const Node& mul, double expected, Operand&& operand) {
    if (mul.inputCount() != 2) return false;
    for (size_t k = 0; k < 2; ++k)
      if (IsConstant(mul.input(1 - k), expected) && operand(mul.input(k))) return true;
    return false;
  }

  // c = x^3: Pow(x, 3) or Mul(x, Mul(x, x)) in either order.
  bool Cube(Value* c) {
    if (Node* pow = Single(c, "Pow")) {
      std::optional<double> exponent = ScalarConstant(pow->input(1), rank_, DataType::kUndefined, true);
      return pow->input(0) == x_ && exponent && *exponent == 3.0 && Take(pow);
    }
    Node* mul = Single(c, "Mul");
    if (!mul || mul->inputCount() != 2) return false;
    for (size_t k = 0; k < 2; ++k) {
      if (mul->input(k) != x_) continue;
      Node* square = Single(mul->input(1 - k), "Mul");
      if (square && square->inputCount() == 2 && square->input(0) == x_ && square->input(1) == x_)
        return Take(square) && Take(mul);
    }
    return false;
  }

  const Graph& graph_;
  Value* x_;
  std::optional<int64_t> rank_;
  std::vector<Node*> nodes_;
};

enum class GeluForm { kErf, kTanh };

// Tries y = Mul(Mul(., .), .) as x * 0.5 * (1 + erf/tanh(...)) in any arrangement. On success
// returns x and fills `nodes` with every node of the pattern.
Value* MatchGelu(const Graph& graph, Node& outer, GeluForm form, std::vector<Node*>& nodes) {
  if (outer.inputCount() != 2) return nullptr;
  for (size_t k = 0; k < 2; ++k) {
    Value* inner_value = outer.input(k);
    Node* inner = ProducerIn(graph, inner_value, "Mul");
    if (!inner || !HasSingleUse(inner_value) || inner->inputCount() != 2) continue;
    Value* factors[3] = {outer.input(1 - k), inner->input(0), inner->input(1)};
    // Choose which factor is (1 + erf/tanh) and which is 0.5; the remaining one is x.
    for (size_t a = 0; a < 3; ++a) {
      for (size_t h = 0; h < 3; ++h) {
        if (h == a) continue;
        Value* x = factors[3 - a - h];
        if (!x || !factors[a] || !factors[h] || !KnownFloat({x, outer.output(0)})) continue;
        GeluMatcher matcher(graph, x);
        if (!matcher.IsConstant(factors[h], 0.5)) continue;
        bool matched = form == GeluForm::kErf ? matcher.ErfPlusOne(factors[a]) : matcher.TanhPlusOne(factors[a]);
        if (!matched) continue;
        nodes = matcher.nodes();
        nodes.push_back(inner);
        nodes.push_back(&outer);
        return x;
      }
    }
  }
  return nullptr;
}

// Replaces `old_output` (produced by the last of `nodes`) by a new com.microsoft node.
void Replace(Model& model, Graph& graph, std::string op, std::vector<Value*> inputs, Value* old_output,
             std::vector<Node*> nodes, std::unordered_set<const Node*>& removed) {
  Node* fused = graph.createNode(op, inputs, 1, old_output->name(), old_output->producer());
  fused->setOpType(std::move(op), std::string(kMicrosoftDomain));
  ImportMicrosoftDomain(model);
  ONNXKIT_CHECK(ReplaceKeepingType(old_output, fused->output(0)), "fuse-gelu-ort: output replacement");
  RemoveUnusedNodes(graph, std::move(nodes), removed);
}

// Gelu or FastGelu without a bias input.
bool WithoutBias(const Node& node) {
  if (IsMicrosoftOp(node, "Gelu")) return node.inputCount() == 1 && node.input(0);
  if (IsMicrosoftOp(node, "FastGelu")) return node.input(0) && !node.input(1) && node.inputCount() <= 2;
  return false;
}

bool FuseBias(Model& model, Graph& graph, Node& gelu, std::string_view pass, std::unordered_set<const Node*>& removed) {
  Value* sum = gelu.input(0);
  Node* add = ProducerIn(graph, sum, "Add");
  if (!add || !HasSingleUse(sum) || add->inputCount() != 2) {
    Explain(pass, gelu, "its input is not an Add used only by it");
    return false;
  }
  for (size_t k = 0; k < 2; ++k) {
    Value* input = add->input(k);
    Value* bias = add->input(1 - k);
    std::optional<int64_t> hidden = LastDim(input);
    if (!hidden || !input || !bias || input->elemType() != DataType::kFloat || bias->elemType() != DataType::kFloat ||
        !IsVectorOf(bias, *hidden))
      continue;
    std::string op = gelu.opType() == "Gelu" ? "BiasGelu" : "FastGelu";
    Replace(model, graph, op, {input, bias}, gelu.output(0), {&gelu, add}, removed);
    return true;
  }
  Explain(pass, gelu, "the Add is not of a float input and a 1-D bias of its (known) last dimension");
  return false;
}

}  // namespace

Result<size_t> FuseGeluOrt::run(Model& model) {
  size_t fused = 0;
  if (!CanUseMicrosoftDomain(model)) return fused;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    // Gelu and FastGelu first, so that the bias fusion below sees them.
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !node->is("Mul")) continue;
      for (GeluForm form : {GeluForm::kErf, GeluForm::kTanh}) {
        std::vector<Node*> nodes;
        Value* x = MatchGelu(graph, *node, form, nodes);
        if (!x) continue;
        Replace(model, graph, form == GeluForm::kErf ? "Gelu" : "FastGelu", {x}, node->output(0), nodes, removed);
        ++fused;
        break;
      }
    }
    std::unordered_set<const Node*> removed_by_bias;
    for (Node* node : graph.nodes()) {
      if (removed_by_bias.count(node) || !WithoutBias(*node)) continue;
      if (FuseBias(model, graph, *node, name(), removed_by_bias)) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
