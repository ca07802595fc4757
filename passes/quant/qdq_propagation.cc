#include "passes/quant/qdq_propagation.h"

#include <string_view>

#include "ir/pattern.h"

namespace onnxkit::quant {

bool IsDataMovementOp(const Node& node) {
  static const std::set<std::string, std::less<>> kOps = {"Flatten", "Gather", "MaxPool", "Pad", "Reshape", "Resize",
                                                          "Slice", "Split", "Squeeze", "Transpose", "Unsqueeze"};
  return node.isOnnxDomain() && kOps.count(node.opType()) > 0;
}

bool PropagatesQuantization(const Node& node) {
  if (!node.input(0)) return false;
  if (node.is("MaxPool") && node.output(1)) return false;
  if (node.is("Pad")) {
    if (node.getString("mode", "constant") != "constant") return true;
    if (const Attribute* value = node.attribute("value"); value && value->f() != 0) return false;
    if (Value* value = node.input(2)) {
      TensorPtr constant = ConstantTensor(value);
      if (!constant || constant->elementCount() != 1 || constant->ElementAsDouble(0) != 0) return false;
    }
  }
  return true;
}

}  // namespace onnxkit::quant
