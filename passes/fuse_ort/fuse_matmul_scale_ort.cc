#include "passes/fuse_ort/fuse_matmul_scale_ort.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

// What the fused node computes, built up while absorbing.
struct Plan {
  Value* operand[2] = {nullptr, nullptr};
  bool transposed[2] = {false, false};
  double alpha = 1.0;
  Value* output = nullptr;        // the value the fused node's output replaces
  Node* last = nullptr;           // the node producing `output`
  std::vector<Node*> absorbed;    // Transposes and scalings that go away
};

bool IsFusedMatMul(const Node& node) { return IsMicrosoftOp(node, "FusedMatMul"); }

// A core node: MatMul, or a FusedMatMul without batch transposition, with a float input A.
bool ReadCore(const Node& node, Plan& plan) {
  if (node.inputCount() != 2 || node.outputCount() != 1 || !node.input(0) || !node.input(1)) return false;
  if (node.is("MatMul")) {
    if (!node.attributes().empty()) return false;
  } else if (IsFusedMatMul(node)) {
    for (const Attribute& attribute : node.attributes()) {
      const std::string& name = attribute.name();
      bool batch = name == "transBatchA" || name == "transBatchB";
      if (batch && node.getInt(name, 1) == 0) continue;
      if (name != "alpha" && name != "transA" && name != "transB") return false;
    }
    int64_t trans_a = node.getInt("transA", 0), trans_b = node.getInt("transB", 0);
    if ((trans_a != 0 && trans_a != 1) || (trans_b != 0 && trans_b != 1)) return false;
    plan.transposed[0] = trans_a == 1;
    plan.transposed[1] = trans_b == 1;
    plan.alpha = node.getFloat("alpha", 1.0f);
  } else {
    return false;
  }
  plan.operand[0] = node.input(0);
  plan.operand[1] = node.input(1);
  plan.output = node.output(0);
  plan.last = const_cast<Node*>(&node);
  return true;
}

// Whether a Transpose's perm swaps the last two axes and keeps the others.
bool SwapsLastTwoAxes(const Node& transpose) {
  std::optional<std::vector<int64_t>> perm = transpose.getInts("perm");
  if (!perm) {
    std::optional<int64_t> rank = transpose.input(0) ? transpose.input(0)->rank() : std::nullopt;
    return rank && *rank == 2;  // the default perm reverses the axes
  }
  size_t n = perm->size();
  if (n < 2) return false;
  for (size_t k = 0; k + 2 < n; ++k)
    if ((*perm)[k] != static_cast<int64_t>(k)) return false;
  return (*perm)[n - 2] == static_cast<int64_t>(n - 1) && (*perm)[n - 1] == static_cast<int64_t>(n - 2);
}

// The factor a Mul or Div by a usable constant applies to `operand` (its other input), or nullopt.
std::optional<double> ScaleFactor(const Node& node, const Value* operand) {
  if (node.inputCount() != 2 || !node.input(0) || !node.input(1)) return std::nullopt;
  std::optional<double> factor;
  if (node.is("Mul")) {
    if (node.input(0) == node.input(1)) return std::nullopt;
    factor = ScalarConstant(OtherInput(node, operand), operand->rank(), DataType::kFloat);
  } else if (node.is("Div") && node.input(0) == operand && node.input(1) != operand) {
    factor = ScalarConstant(node.input(1), operand->rank(), DataType::kFloat);
    if (factor && *factor != 0.0) factor = 1.0 / *factor;
  } else {
    return std::nullopt;
  }
  if (!factor || !std::isfinite(*factor) || *factor == 0.0) return std::nullopt;
  return factor;
}

// Absorbs one Transpose or scaling feeding operand i, if there is one.
bool AbsorbInput(const Graph& graph, Plan& plan, size_t i) {
  Value* value = plan.operand[i];
  if (!HasSingleUse(value) || !value->producer() || value->producer()->owner() != &graph) return false;
  Node* producer = value->producer();
  if (producer->is("Transpose") && producer->input(0) && SwapsLastTwoAxes(*producer)) {
    plan.operand[i] = producer->input(0);
    plan.transposed[i] = !plan.transposed[i];
    plan.absorbed.push_back(producer);
    return true;
  }
  if (producer->is("Mul") || producer->is("Div")) {
    for (size_t k = 0; k < 2; ++k) {
      Value* operand = producer->input(k);
      if (!operand || (producer->is("Div") && k == 1)) continue;
      if (std::optional<double> factor = ScaleFactor(*producer, operand)) {
        plan.operand[i] = operand;
        plan.alpha *= *factor;
        plan.absorbed.push_back(producer);
        return true;
      }
    }
  }
  return false;
}

// Absorbs a scaling that is the only use of the current output, if there is one.
bool AbsorbOutput(const Graph& graph, Plan& plan) {
  if (!HasSingleUse(plan.output)) return false;
  Node* user = plan.output->uses()[0].user;
  if (user->owner() != &graph || user->outputCount() != 1 || !user->output(0)) return false;
  std::optional<double> factor = ScaleFactor(*user, plan.output);
  if (!factor) return false;
  plan.alpha *= *factor;
  plan.absorbed.push_back(user);
  plan.output = user->output(0);
  plan.last = user;
  return true;
}

bool Fuse(Model& model, Graph& graph, Node& core, std::string_view pass, std::unordered_set<const Node*>& removed) {
  Plan plan;
  if (!ReadCore(core, plan)) {
    Explain(pass, core, "not a MatMul (or FusedMatMul without batch transposition)");
    return false;
  }
  for (bool progress = true; progress;)
    progress = AbsorbInput(graph, plan, 0) || AbsorbInput(graph, plan, 1) || AbsorbOutput(graph, plan);
  if (plan.absorbed.empty()) {
    Explain(pass, core, "no transposed or scaled input and no scaled output to absorb");
    return false;
  }
  // Transpose, Mul and Div keep the element type: every value involved has the MatMul's.
  if (!KnownFloat({core.input(0), core.input(1), core.output(0), plan.operand[0], plan.operand[1], plan.output})) {
    Explain(pass, core, "the MatMul is not known to compute in float");
    return false;
  }
  float alpha = static_cast<float>(plan.alpha);
  if (!std::isfinite(alpha) || alpha == 0.0f) {
    Explain(pass, core, "the combined scale is not a finite, non-zero float");
    return false;
  }
  if (!CanUseMicrosoftDomain(model)) {
    Explain(pass, core, "the model imports another version of com.microsoft");
    return false;
  }

  Node* fused = graph.createNode("FusedMatMul", {plan.operand[0], plan.operand[1]}, 1, plan.output->name(), plan.last);
  fused->setOpType("FusedMatMul", std::string(kMicrosoftDomain));
  if (!core.name().empty()) fused->setName(core.name());
  fused->setAttribute(Attribute::Float("alpha", alpha));
  fused->setAttribute(Attribute::Int("transA", plan.transposed[0] ? 1 : 0));
  fused->setAttribute(Attribute::Int("transB", plan.transposed[1] ? 1 : 0));
  ImportMicrosoftDomain(model);
  ONNXKIT_CHECK(ReplaceKeepingType(plan.output, fused->output(0)), "fuse-matmul-scale-ort: output replacement");
  std::vector<Node*> nodes = plan.absorbed;
  nodes.push_back(&core);
  RemoveUnusedNodes(graph, nodes, removed);
  return true;
}

}  // namespace

Result<size_t> FuseMatmulScaleOrt::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !(node->is("MatMul") || IsFusedMatMul(*node))) continue;
      if (Fuse(model, graph, *node, name(), removed)) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
