#include "passes/fuse/fuse_conv_mul.h"

#include <cmath>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool Fuse(Graph& graph, Node& mul, std::string_view pass) {
  size_t conv_index = 0;
  Node* conv = nullptr;
  for (size_t i = 0; i < 2; ++i) {
    Value* input = mul.input(i);
    if (input && input->producer() && input->producer()->is("Conv") && input->owner() == mul.owner()) {
      conv = input->producer();
      conv_index = i;
      break;
    }
  }
  if (!conv) {
    Explain(pass, mul, "no input is produced by a Conv");
    return false;
  }
  Value* conv_output = conv->output(0);
  if (conv->outputCount() != 1 || conv_output->uses().size() != 1 || conv_output->isGraphOutput()) {
    Explain(pass, mul, "the Conv's output has other uses");
    return false;
  }
  TensorPtr factor_tensor = ConstantTensor(mul.input(1 - conv_index));
  if (!factor_tensor) {
    Explain(pass, mul, "the other input is not a constant");
    return false;
  }
  Value* weight_value = conv->input(1);
  Value* bias_value = conv->input(2);
  TensorPtr weight = ConstantTensor(weight_value);
  if (!weight || !UsedOnlyBy(weight_value, *conv) || !IsFloatOrDouble(*weight) || weight->rank() < 3 ||
      weight->dims()[0] < 1) {
    Explain(pass, *conv, "its weight is not a float constant [M, C, k...] used only by it");
    return false;
  }
  int64_t channels = weight->dims()[0];
  if (factor_tensor->dtype() != weight->dtype()) {
    Explain(pass, mul, "the constant's type differs from the weight's");
    return false;
  }
  auto factor = PerChannelValues(*factor_tensor, static_cast<int64_t>(weight->rank()), channels);
  if (!factor) {
    Explain(pass, mul, "the constant is not a per-channel tensor that keeps the Conv output's shape");
    return false;
  }
  for (double f : *factor)
    if (!std::isfinite(f)) {
      Explain(pass, mul, "the constant is not finite");
      return false;
    }
  TensorPtr new_bias;
  if (bias_value) {
    TensorPtr bias = ConstantTensor(bias_value);
    auto values = ReadDoubles(bias, channels);
    if (!values || bias->dtype() != weight->dtype()) {
      Explain(pass, *conv, "its bias is not a constant of the weight's type with one value per channel");
      return false;
    }
    for (size_t m = 0; m < values->size(); ++m) (*values)[m] *= (*factor)[m];
    new_bias = MakeVector(weight->dtype(), *values);
    if (!AllFinite(*new_bias)) {
      Explain(pass, mul, "the new bias would not be finite");
      return false;
    }
  }
  TensorPtr new_weight = ScalePerOutputChannel(*weight, *factor);
  if (!AllFinite(*new_weight)) {
    Explain(pass, mul, "the new weights would not be finite");
    return false;
  }
  if (!CanReplaceValue(mul.output(0), conv_output)) {
    Explain(pass, mul, "its output cannot be replaced");
    return false;
  }
  conv->setInput(1, graph.addInitializer(weight_value->name(), new_weight));
  if (new_bias) conv->setInput(2, graph.addInitializer(bias_value->name(), new_bias));
  ReplaceFusedValue(mul.output(0), conv_output);
  graph.removeNode(&mul);
  return true;
}

}  // namespace

Result<size_t> FuseConvMul::run(Model& model) {
  if (model.opsetVersion("").value_or(0) < 7) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes())
      if (node->is("Mul") && node->inputCount() == 2 && Fuse(graph, *node, name())) ++fused;
  });
  return fused;
}

}  // namespace onnxkit
