#include "passes/fuse/fuse_conv_add.h"

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool Fuse(Graph& graph, Node& add, std::string_view pass) {
  // Which input is the Conv?
  size_t conv_index = 0;
  Node* conv = nullptr;
  for (size_t i = 0; i < 2; ++i) {
    Value* input = add.input(i);
    if (input && input->producer() && input->producer()->is("Conv") && input->owner() == add.owner()) {
      conv = input->producer();
      conv_index = i;
      break;
    }
  }
  if (!conv) {
    Explain(pass, add, "no input is produced by a Conv");
    return false;
  }
  Value* conv_output = conv->output(0);
  if (conv->outputCount() != 1 || conv_output->uses().size() != 1 || conv_output->isGraphOutput()) {
    Explain(pass, add, "the Conv's output has other uses");
    return false;
  }
  TensorPtr addend = ConstantTensor(add.input(1 - conv_index));
  if (!addend) {
    Explain(pass, add, "the other input is not a constant");
    return false;
  }
  auto weight_shape = KnownShape(conv->input(1));
  if (!weight_shape || weight_shape->size() < 3 || (*weight_shape)[0] < 1) {
    Explain(pass, *conv, "its weight's shape is not known");
    return false;
  }
  int64_t rank = static_cast<int64_t>(weight_shape->size());
  int64_t channels = (*weight_shape)[0];
  auto values = PerChannelValues(*addend, rank, channels);
  if (!values) {
    Explain(pass, add, "the constant is not a float per-channel tensor that keeps the Conv output's shape");
    return false;
  }
  Value* bias_value = conv->input(2);
  std::vector<double> bias(static_cast<size_t>(channels), 0.0);
  if (bias_value) {
    TensorPtr old_bias = ConstantTensor(bias_value);
    auto old_values = ReadDoubles(old_bias, channels);
    if (!old_values || old_bias->dtype() != addend->dtype()) {
      Explain(pass, *conv, "its bias is not a constant of the constant's type with one value per channel");
      return false;
    }
    bias = std::move(*old_values);
  }
  for (size_t m = 0; m < bias.size(); ++m) bias[m] += (*values)[m];
  TensorPtr new_bias = MakeVector(addend->dtype(), bias);
  if (!AllFinite(*new_bias)) {
    Explain(pass, add, "the new bias would not be finite");
    return false;
  }
  if (!CanReplaceValue(add.output(0), conv_output)) {
    Explain(pass, add, "its output cannot be replaced");
    return false;
  }
  Value* b = graph.addInitializer(bias_value ? bias_value->name() : conv_output->name() + "_bias", new_bias);
  ReplaceFusedValue(add.output(0), conv_output);
  graph.removeNode(&add);
  if (conv->inputCount() < 3) conv->addInput(b);
  else conv->setInput(2, b);
  return true;
}

}  // namespace

Result<size_t> FuseConvAdd::run(Model& model) {
  if (model.opsetVersion("").value_or(0) < 7) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes())
      if (node->is("Add") && node->inputCount() == 2 && Fuse(graph, *node, name())) ++fused;
  });
  return fused;
}

}  // namespace onnxkit
