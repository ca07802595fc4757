#include "passes/fuse_ort/fuse_gemm_activation_ort.h"

#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

// The activation's parameters as FusedGemm attributes ("activation_" + name), or nullopt when
// the node is not a fusable activation.
std::optional<std::vector<std::pair<std::string, float>>> ActivationParameters(const Node& act, int64_t opset) {
  using Params = std::vector<std::pair<std::string, float>>;
  if (act.is("Relu") || act.is("Sigmoid") || act.is("Tanh") || act.is("Softsign") || act.is("Softplus")) return Params{};
  if (act.is("LeakyRelu")) return Params{{"alpha", act.getFloat("alpha", 0.01f)}};
  if (act.is("HardSigmoid")) return Params{{"alpha", act.getFloat("alpha", 0.2f)}, {"beta", act.getFloat("beta", 0.5f)}};
  if (act.is("Elu")) return Params{{"alpha", act.getFloat("alpha", 1.0f)}};
  if (act.is("Selu"))
    return Params{{"alpha", act.getFloat("alpha", 1.67326319217681884765625f)},
                  {"gamma", act.getFloat("gamma", 1.05070102214813232421875f)}};
  if (act.is("ThresholdedRelu") && opset >= 10) return Params{{"alpha", act.getFloat("alpha", 1.0f)}};
  return std::nullopt;
}

bool Fuse(Model& model, Graph& graph, Node& act, std::string_view pass, std::unordered_set<const Node*>& removed) {
  int64_t opset = model.opsetVersion("").value_or(1);
  auto params = ActivationParameters(act, opset);
  if (!params) return false;  // not an activation: nothing to explain
  Value* input = act.input(0);
  Node* gemm = ProducerIn(graph, input, "Gemm");
  if (!gemm || !HasSingleUse(input)) {
    Explain(pass, act, "its input is not a Gemm output used only by it");
    return false;
  }
  if (opset < 7) {
    Explain(pass, act, "Gemm before opset 7 (broadcast attribute)");
    return false;
  }
  if (!KnownFloat({gemm->input(0), gemm->input(1), gemm->input(2), gemm->output(0)})) {
    Explain(pass, act, "the Gemm is not known to compute in float");
    return false;
  }
  for (const Attribute& attribute : gemm->attributes()) {
    const std::string& name = attribute.name();
    if (name != "transA" && name != "transB" && name != "alpha" && name != "beta") {
      Explain(pass, act, "the Gemm has an attribute FusedGemm does not define: " + name);
      return false;
    }
  }
  if (!CanUseMicrosoftDomain(model)) {
    Explain(pass, act, "the model imports another version of com.microsoft");
    return false;
  }

  std::vector<Value*> inputs(gemm->inputs().begin(), gemm->inputs().end());
  while (!inputs.empty() && !inputs.back()) inputs.pop_back();
  Node* fused = graph.createNode("FusedGemm", inputs, 1, act.output(0)->name(), &act);
  fused->setOpType("FusedGemm", std::string(kMicrosoftDomain));
  if (!gemm->name().empty()) fused->setName(gemm->name());
  for (const Attribute& attribute : gemm->attributes()) fused->setAttribute(Attribute::FromProto(attribute.proto()));
  fused->setAttribute(Attribute::String("activation", act.opType()));
  for (const auto& [name, value] : *params) fused->setAttribute(Attribute::Float("activation_" + name, value));
  ImportMicrosoftDomain(model);
  ONNXKIT_CHECK(ReplaceKeepingType(act.output(0), fused->output(0)), "fuse-gemm-activation-ort: output replacement");
  RemoveUnusedNodes(graph, {&act, gemm}, removed);
  return true;
}

}  // namespace

Result<size_t> FuseGemmActivationOrt::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !node->isOnnxDomain() || node->inputCount() != 1) continue;
      if (Fuse(model, graph, *node, name(), removed)) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
