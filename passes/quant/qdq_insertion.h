// Building QuantizeLinear/DequantizeLinear nodes: one Q→DQ pair per activation tensor (all of the
// tensor's users then read the DQ output, which takes the tensor's name so that a layerwise
// comparison with the float model lines up), and DQ nodes over quantized constants (weights,
// int32 biases). Scale and zero-point initializers with the same values are shared.
#pragma once

#include <map>
#include <tuple>
#include <vector>

#include "ir/graph.h"
#include "passes/quant/quant_params.h"

namespace onnxkit::quant {

class QdqBuilder {
 public:
  explicit QdqBuilder(Graph& graph) : graph_(graph) {}

  // x → QuantizeLinear → DequantizeLinear; every use of x (and its graph-output position, when
  // possible) moves to the DQ output. Returns the DQ output.
  Value* quantizeActivation(Value* x, const QuantParams& params);

  // An initializer with the quantized data and a DequantizeLinear over it (axis when per channel),
  // inserted before `before`. Returns the DQ output (float).
  Value* dequantizedWeight(std::string_view name_hint, const QuantizedWeight& weight, Node* before);
  // The int32 bias and its DequantizeLinear (axis 0 when there are several scales).
  Value* dequantizedBias(std::string_view name_hint, const QuantizedBias& bias, Node* before);

  // Shared scalar initializers.
  Value* scale(float value);
  Value* zeroPoint(int32_t value, DataType type);

 private:
  Graph& graph_;
  std::map<uint32_t, Value*> scales_;  // by bit pattern
  std::map<std::pair<int32_t, DataType>, Value*> zero_points_;
};

}  // namespace onnxkit::quant
