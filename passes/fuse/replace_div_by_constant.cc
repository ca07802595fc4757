#include "passes/fuse/replace_div_by_constant.h"

#include <cmath>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

// The smallest normal magnitude of each float type: constants and reciprocals below it are
// subnormal, which flush-to-zero/denormals-are-zero modes of a runtime would read as 0.
double SmallestNormal(DataType type) {
  switch (type) {
    case DataType::kDouble: return std::ldexp(1.0, -1022);
    case DataType::kFloat16: return std::ldexp(1.0, -14);
    default: return std::ldexp(1.0, -126);  // float and bfloat16
  }
}

bool IsPowerOfTwo(double value) {
  if (!std::isfinite(value) || value == 0) return false;
  int exponent = 0;
  return std::fabs(std::frexp(value, &exponent)) == 0.5;
}

// The reciprocals of a power-of-two constant when each is exact in the constant's type.
TensorPtr ExactReciprocal(const Tensor& divisor) {
  DataType type = divisor.dtype();
  if (type != DataType::kFloat && type != DataType::kDouble && type != DataType::kFloat16 &&
      type != DataType::kBfloat16)
    return nullptr;
  std::vector<double> reciprocals(static_cast<size_t>(divisor.elementCount()));
  for (int64_t i = 0; i < divisor.elementCount(); ++i) {
    double c = divisor.ElementAsDouble(i);
    if (!IsPowerOfTwo(c) || std::fabs(c) < SmallestNormal(type) || std::fabs(1.0 / c) < SmallestNormal(type))
      return nullptr;
    reciprocals[static_cast<size_t>(i)] = 1.0 / c;  // exact in double for any float-type power of two
  }
  std::vector<int64_t> dims(divisor.dims().begin(), divisor.dims().end());
  TensorPtr result = MakeFloatTensor(type, dims, reciprocals);
  // Exact in the type: converting back gives the same value (no overflow to inf, no underflow).
  for (int64_t i = 0; i < result->elementCount(); ++i)
    if (result->ElementAsDouble(i) != reciprocals[static_cast<size_t>(i)]) return nullptr;
  return result;
}

}  // namespace

Result<size_t> ReplaceDivByConstant::run(Model& model) {
  size_t replaced = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Div") || node->inputCount() != 2 || !node->input(0)) continue;
      TensorPtr divisor = ConstantTensor(node->input(1));
      if (!divisor) {
        Explain(name(), *node, "the divisor is not a constant");
        continue;
      }
      TensorPtr reciprocal = ExactReciprocal(*divisor);
      if (!reciprocal) {
        Explain(name(), *node, "the divisor is not a float constant of powers of two with exact reciprocals");
        continue;
      }
      Value* value = graph.addInitializer(node->input(1)->name() + "_reciprocal", reciprocal);
      node->setOpType("Mul");
      node->setInput(1, value);
      ++replaced;
    }
  });
  return replaced;
}

}  // namespace onnxkit
