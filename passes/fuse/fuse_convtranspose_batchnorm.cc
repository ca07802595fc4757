#include "passes/fuse/fuse_convtranspose_batchnorm.h"

#include <cmath>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool Fuse(Graph& graph, Node& bn, Node& deconv, int64_t opset, std::string_view pass) {
  if (!IsInferenceBatchNorm(bn, opset)) {
    Explain(pass, bn, "not in inference form");
    return false;
  }
  Value* weight_value = deconv.input(1);
  Value* bias_value = deconv.input(2);
  if (!UsedOnlyBy(weight_value, deconv) || (bias_value && !UsedOnlyBy(bias_value, deconv))) {
    Explain(pass, deconv, "its weight or bias is shared with another node");
    return false;
  }
  TensorPtr weight = ConstantTensor(weight_value);
  TensorPtr bias = bias_value ? ConstantTensor(bias_value) : nullptr;
  if (!weight || (bias_value && !bias)) {
    Explain(pass, deconv, "its weight or bias is not a constant");
    return false;
  }
  int64_t group = deconv.getInt("group", 1);
  if (!IsFloatOrDouble(*weight) || weight->rank() < 3 || group < 1 || weight->dims()[0] % group != 0) {
    Explain(pass, deconv, "its weight is not a float tensor [C_in, M/group, k...] with C_in divisible by group");
    return false;
  }
  int64_t in_channels = weight->dims()[0];
  int64_t out_per_group = weight->dims()[1];
  int64_t channels = group * out_per_group;
  std::vector<std::vector<double>> params;  // scale, bias, mean, var
  for (size_t i = 1; i <= 4; ++i) {
    auto values = ReadDoubles(ConstantTensor(bn.input(i)), channels);
    if (!values) {
      Explain(pass, bn, fmt::format("input {} is not a constant float vector of {} channels", i, channels));
      return false;
    }
    params.push_back(std::move(*values));
  }
  std::vector<double> old_bias(static_cast<size_t>(channels), 0.0);
  if (bias) {
    auto values = ReadDoubles(bias, channels);
    if (!values || bias->dtype() != weight->dtype()) {
      Explain(pass, deconv, "its bias is not a vector of the weight's type with one value per output channel");
      return false;
    }
    old_bias = std::move(*values);
  }
  double epsilon = bn.getFloat("epsilon", 1e-5f);
  std::vector<double> factor(static_cast<size_t>(channels)), new_bias(static_cast<size_t>(channels));
  for (size_t m = 0; m < factor.size(); ++m) {
    factor[m] = params[0][m] / std::sqrt(params[3][m] + epsilon);
    new_bias[m] = (old_bias[m] - params[2][m]) * factor[m] + params[1][m];
  }
  int64_t kernel = weight->elementCount() / (in_channels * out_per_group);  // elements per (c, j)
  int64_t in_per_group = in_channels / group;
  TensorPtr new_weight = ScaleElements(*weight, [&](int64_t i) {
    int64_t c = i / (out_per_group * kernel);
    int64_t j = (i / kernel) % out_per_group;
    return factor[static_cast<size_t>((c / in_per_group) * out_per_group + j)];
  });
  TensorPtr new_bias_tensor = MakeVector(weight->dtype(), new_bias);
  if (!AllFinite(*new_weight) || !AllFinite(*new_bias_tensor)) {
    Explain(pass, bn, "the folded weights would not be finite");
    return false;
  }
  if (!CanReplaceValue(bn.output(0), deconv.output(0))) {
    Explain(pass, bn, "its output cannot be replaced");
    return false;
  }
  Value* w = graph.addInitializer(weight_value->name(), new_weight);
  Value* b = graph.addInitializer(bias_value ? bias_value->name() : deconv.output(0)->name() + "_bias", new_bias_tensor);
  ReplaceFusedValue(bn.output(0), deconv.output(0));
  deconv.setInput(1, w);
  if (deconv.inputCount() < 3) deconv.addInput(b);
  else deconv.setInput(2, b);
  graph.removeNode(&bn);
  return true;
}

}  // namespace

Result<size_t> FuseConvtransposeBatchnorm::run(Model& model) {
  static const NodePattern pattern =
      NodePattern("BatchNormalization")
          .as("bn")
          .withConstantInputs({1, 2, 3, 4})
          .withInput(0, NodePattern("ConvTranspose").as("deconv").withOneUse().withConstantInputs({1}));
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("BatchNormalization")) continue;
      Match match = pattern.match(*node, model);
      if (!match) {
        Explain(name(), *node, match.reason());
        continue;
      }
      if (Fuse(graph, *match["bn"], *match["deconv"], opset, name())) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
