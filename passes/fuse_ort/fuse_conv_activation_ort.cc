#include "passes/fuse_ort/fuse_conv_activation_ort.h"

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

// The activation as FusedConv's attributes, or nullopt (with a reason) when it cannot be fused.
struct Activation {
  std::string name;
  std::vector<float> params;
};

std::optional<Activation> ReadActivation(const Node& act, const Model& model, std::string& reason) {
  int64_t opset = model.opsetVersion("").value_or(1);
  if (act.is("Relu") || act.is("Sigmoid") || act.is("Tanh")) return Activation{act.opType(), {}};
  if (act.is("LeakyRelu")) return Activation{"LeakyRelu", {act.getFloat("alpha", 0.01f)}};
  if (act.is("HardSigmoid")) return Activation{"HardSigmoid", {act.getFloat("alpha", 0.2f), act.getFloat("beta", 0.5f)}};
  if (!act.is("Clip")) {
    reason = "not a fusable activation";
    return std::nullopt;
  }
  float low, high;
  if (opset < 6) {
    reason = "Clip before opset 6";
    return std::nullopt;
  }
  if (opset < 11) {
    low = act.getFloat("min", std::numeric_limits<float>::lowest());
    high = act.getFloat("max", std::numeric_limits<float>::max());
  } else {
    // Absent bounds do not clip at all: infinities keep infinite inputs as they are.
    std::optional<double> min_value = -std::numeric_limits<double>::infinity();
    std::optional<double> max_value = std::numeric_limits<double>::infinity();
    if (act.input(1)) min_value = ScalarConstant(act.input(1), std::nullopt, DataType::kFloat);
    if (act.input(2)) max_value = ScalarConstant(act.input(2), std::nullopt, DataType::kFloat);
    if (!min_value || !max_value) {
      reason = "Clip bounds are not constant float scalars";
      return std::nullopt;
    }
    low = static_cast<float>(*min_value);
    high = static_cast<float>(*max_value);
  }
  if (std::isnan(low) || std::isnan(high) || low > high) {
    reason = "Clip bounds are NaN or min > max";
    return std::nullopt;
  }
  return Activation{"Clip", {low, high}};
}

// A default-domain Conv in `graph` producing `value`, used only there, on float input.
Node* FusableConv(const Graph& graph, const Value* value) {
  Node* conv = ProducerIn(graph, value, "Conv");
  if (!conv || !HasSingleUse(value) || conv->inputCount() < 2 || conv->inputCount() > 3) return nullptr;
  if (!KnownFloat({conv->input(0), conv->input(1), conv->output(0)})) return nullptr;
  for (const Attribute& attribute : conv->attributes())
    if (attribute.tensor() || !attribute.tensors().empty() || attribute.hasSubgraphs()) return nullptr;
  return conv;
}

bool Fuse(Model& model, Graph& graph, Node& act, std::string_view pass, std::unordered_set<const Node*>& removed) {
  Value* input = act.input(0);
  Node* add = nullptr;
  Value* residual = nullptr;
  Node* conv = FusableConv(graph, input);
  if (!conv) {
    add = ProducerIn(graph, input, "Add");
    if (!add || !HasSingleUse(input)) {
      Explain(pass, act, "its input is not a Conv (or Conv + Add) output used only by it");
      return false;
    }
    for (size_t k = 0; k < 2 && !conv; ++k) {
      conv = FusableConv(graph, add->input(k));
      residual = add->input(1 - k);
    }
    if (!conv) {
      Explain(pass, act, "neither input of the Add is a float Conv output used only by the Add");
      return false;
    }
    if (!residual || residual->elemType() != DataType::kFloat || !SameShape(residual, conv->output(0))) {
      Explain(pass, act, "the Add's other input does not have the Conv output's (known) shape and type");
      return false;
    }
  }
  std::string reason;
  std::optional<Activation> activation = ReadActivation(act, model, reason);
  if (!activation) {
    Explain(pass, act, reason);
    return false;
  }
  if (!CanUseMicrosoftDomain(model)) {
    Explain(pass, act, "the model imports another version of com.microsoft");
    return false;
  }

  std::vector<Value*> inputs = {conv->input(0), conv->input(1), conv->input(2)};
  if (residual) inputs.push_back(residual);
  while (!inputs.empty() && !inputs.back()) inputs.pop_back();
  Node* fused = graph.createNode("FusedConv", inputs, 1, act.output(0)->name(), &act);
  fused->setOpType("FusedConv", std::string(kMicrosoftDomain));
  if (!conv->name().empty()) fused->setName(conv->name());
  for (const Attribute& attribute : conv->attributes()) fused->setAttribute(Attribute::FromProto(attribute.proto()));
  fused->setAttribute(Attribute::String("activation", activation->name));
  if (!activation->params.empty()) fused->setAttribute(Attribute::Floats("activation_params", activation->params));
  ImportMicrosoftDomain(model);
  ONNXKIT_CHECK(ReplaceKeepingType(act.output(0), fused->output(0)), "fuse-conv-activation-ort: output replacement");
  RemoveUnusedNodes(graph, {&act, add, conv}, removed);
  return true;
}

}  // namespace

Result<size_t> FuseConvActivationOrt::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !node->isOnnxDomain() || node->inputCount() == 0) continue;
      const std::string& op = node->opType();
      if (op != "Relu" && op != "Sigmoid" && op != "Tanh" && op != "LeakyRelu" && op != "HardSigmoid" && op != "Clip")
        continue;
      if (Fuse(model, graph, *node, name(), removed)) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
