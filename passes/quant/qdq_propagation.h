// Q/DQ propagation through data-movement ops (Reshape, Transpose, Flatten, Squeeze, Unsqueeze,
// MaxPool, Slice, Split, Pad; also Gather and Resize, which only pick or interpolate values): when
// the op's data input is quantized, its outputs are quantized with the same scale and zero point.
// ONNX Runtime then runs such an op on the 8-bit data directly (DQ→op→Q with equal parameters
// collapses to the op on integers), so every QDQ unit fuses.
//
// Conditions: the op is in the ONNX domain and not excluded; data input 0 has parameters; every
// produced output is used; MaxPool has no Indices output; Pad is not "constant" mode with a
// nonzero value (the pad value would have to be representable exactly).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "ir/node.h"
#include "passes/quant/quant_params.h"

namespace onnxkit::quant {

bool IsDataMovementOp(const Node& node);

// Walks `order` (topological) and gives the outputs of data-movement ops the parameters of their
// data input, overriding any parameters those outputs had. `allowed(node)` says whether a node may
// be touched (op type selected, not excluded).
template <typename Allowed>
void PropagateThroughDataMovement(const std::vector<Node*>& order, std::map<Value*, QuantParams>& params,
                                  Allowed&& allowed);

bool PropagatesQuantization(const Node& node);  // the conditions above, for one node

template <typename Allowed>
void PropagateThroughDataMovement(const std::vector<Node*>& order, std::map<Value*, QuantParams>& params,
                                  Allowed&& allowed) {
  for (Node* node : order) {
    if (!IsDataMovementOp(*node) || !allowed(*node) || !PropagatesQuantization(*node)) continue;
    auto it = params.find(node->input(0));
    if (it == params.end()) continue;
    QuantParams p = it->second;
    for (Value* output : node->outputs())
      if (output) params[output] = p;
  }
}

}  // namespace onnxkit::quant
