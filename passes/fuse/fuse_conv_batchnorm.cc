#include "passes/fuse/fuse_conv_batchnorm.h"

#include <cmath>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool InferenceForm(const Node& bn) {
  for (size_t i = 1; i < bn.outputCount(); ++i)
    if (bn.output(i) && (bn.output(i)->hasUses() || bn.output(i)->isGraphOutput())) return false;
  return bn.getInt("training_mode", 0) == 0 && bn.getInt("spatial", 1) == 1;
}

const NodePattern& Pattern() {
  static const NodePattern pattern =
      NodePattern("BatchNormalization")
          .as("bn")
          .where("not in inference form", InferenceForm)
          .withConstantInputs({1, 2, 3, 4})
          .withInput(0, NodePattern("Conv").as("conv").withOneUse().withConstantInputs({1}));
  return pattern;
}

bool Fuse(Graph& graph, Node& bn, Node& conv, std::string_view pass) {
  const Value* weight_value = conv.input(1);
  const Value* bias_value = conv.input(2);
  if (!UsedOnlyBy(weight_value, conv) || (bias_value && !UsedOnlyBy(bias_value, conv))) {
    Explain(pass, conv, "its weight or bias is shared with another node");
    return false;
  }
  TensorPtr weight = ConstantTensor(weight_value);
  TensorPtr bias = bias_value ? ConstantTensor(bias_value) : nullptr;
  if (bias_value && !bias) return false;
  if (!IsFloatOrDouble(*weight) || weight->rank() < 2) return false;
  int64_t channels = weight->dims()[0];
  std::vector<std::vector<double>> params;  // scale, bias, mean, var
  for (size_t i = 1; i <= 4; ++i) {
    auto values = ReadDoubles(ConstantTensor(bn.input(i)), channels);
    if (!values) {
      Explain(pass, bn, fmt::format("input {} is not a float vector of {} channels", i, channels));
      return false;
    }
    params.push_back(std::move(*values));
  }
  std::vector<double> old_bias(static_cast<size_t>(channels), 0.0);
  if (bias) {
    auto values = ReadDoubles(bias, channels);
    if (!values || bias->dtype() != weight->dtype()) return false;
    old_bias = std::move(*values);
  }
  double epsilon = bn.getFloat("epsilon", 1e-5f);
  std::vector<double> factor(static_cast<size_t>(channels)), new_bias(static_cast<size_t>(channels));
  for (size_t m = 0; m < factor.size(); ++m) {
    factor[m] = params[0][m] / std::sqrt(params[3][m] + epsilon);
    new_bias[m] = (old_bias[m] - params[2][m]) * factor[m] + params[1][m];
  }
  TensorPtr new_weight = ScalePerOutputChannel(*weight, factor);
  Value* w = graph.addInitializer(weight_value->name(), new_weight);
  Value* b = graph.addInitializer(bias_value ? bias_value->name() : conv.output(0)->name() + "_bias",
                                  MakeVector(weight->dtype(), new_bias));
  conv.setInput(1, w);
  if (conv.inputCount() < 3) conv.addInput(b);
  else conv.setInput(2, b);
  ONNXKIT_CHECK(ReplaceValue(bn.output(0), conv.output(0)), "fuse-conv-batchnorm: output replacement");
  graph.removeNode(&bn);
  return true;
}

}  // namespace

Result<size_t> FuseConvBatchNorm::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("BatchNormalization")) continue;
      Match match = Pattern().match(*node, model);
      if (!match) {
        Explain(name(), *node, match.reason());
        continue;
      }
      if (Fuse(graph, *match["bn"], *match["conv"], name())) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
