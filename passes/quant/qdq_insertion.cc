#include "passes/quant/qdq_insertion.h"

#include <cstring>

#include "ir/attribute.h"
#include "ir/rewrite.h"

namespace onnxkit::quant {

Value* QdqBuilder::scale(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  auto [it, inserted] = scales_.try_emplace(bits, nullptr);
  if (inserted) it->second = graph_.addInitializer("s", ScaleTensor(std::span<const float>(&value, 1)));
  return it->second;
}

Value* QdqBuilder::zeroPoint(int32_t value, DataType type) {
  auto [it, inserted] = zero_points_.try_emplace({value, type}, nullptr);
  if (inserted) it->second = graph_.addInitializer("z", ZeroPointTensor(std::span<const int32_t>(&value, 1), type));
  return it->second;
}

Value* QdqBuilder::quantizeActivation(Value* x, const QuantParams& params) {
  Value* s = scale(params.scale);
  Value* z = zeroPoint(params.zero_point, ToDataType(params.type));
  Node* before = nullptr;
  if (x->producer()) {
    // Right after the producer: find the node that follows it in list order.
    auto nodes = graph_.nodes();
    for (size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i] == x->producer() && i + 1 < nodes.size()) before = nodes[i + 1];
  } else if (!graph_.nodes().empty()) {
    before = graph_.nodes().front();
  }
  Node* q = graph_.createNode("QuantizeLinear", {x, s, z}, 1, x->name() + "_q", before);
  Node* dq = graph_.createNode("DequantizeLinear", {q->output(0), s, z}, 1, x->name() + "_d", before);
  Value* out = dq->output(0);
  // A graph input keeps its name (ReplaceValue would rename it): only its uses move.
  if (!x->isGraphInput() && ReplaceValue(x, out)) {
    q->setInput(0, x);  // ReplaceValue also redirected the Q's own input
  } else {
    std::vector<Use> uses = x->uses();
    for (const Use& use : uses)
      if (use.user != q) use.user->setInput(use.input_index, out);
  }
  return out;
}

Value* QdqBuilder::dequantizedWeight(std::string_view name_hint, const QuantizedWeight& weight, Node* before) {
  Value* data = graph_.addInitializer(std::string(name_hint) + "_q", weight.data);
  DataType type = ToDataType(weight.type);
  Value* s = weight.scales.size() == 1 ? scale(weight.scales[0])
                                       : graph_.addInitializer(std::string(name_hint) + "_s", ScaleTensor(weight.scales));
  Value* z = weight.zero_points.size() == 1
                 ? zeroPoint(weight.zero_points[0], type)
                 : graph_.addInitializer(std::string(name_hint) + "_z", ZeroPointTensor(weight.zero_points, type));
  Node* dq = graph_.createNode("DequantizeLinear", {data, s, z}, 1, std::string(name_hint) + "_d", before);
  if (weight.axis && weight.scales.size() > 1) dq->setAttribute(Attribute::Int("axis", *weight.axis));
  return dq->output(0);
}

Value* QdqBuilder::dequantizedBias(std::string_view name_hint, const QuantizedBias& bias, Node* before) {
  Value* data = graph_.addInitializer(std::string(name_hint) + "_q", bias.data);
  Value* s = bias.scales.size() == 1 ? scale(bias.scales[0])
                                     : graph_.addInitializer(std::string(name_hint) + "_s", ScaleTensor(bias.scales));
  // int32 data: the zero point is 0 and left out.
  Node* dq = graph_.createNode("DequantizeLinear", {data, s}, 1, std::string(name_hint) + "_d", before);
  if (bias.scales.size() > 1) dq->setAttribute(Attribute::Int("axis", 0));
  return dq->output(0);
}

}  // namespace onnxkit::quant
