// fuse-mish: turns x * Tanh(Softplus(x)) into Mish (opset >= 18).
//
// Before:
//   s = Softplus(x)
//   t = Tanh(s)
//   y = Mul(x, t)            (either operand order)
// After:
//   y = Mish(x)
//
// Algebra: Mish(x) = x tanh(softplus(x)), softplus(x) = ln(1 + e^x): the definition itself.
//
// Conditions:
//  1. the model imports the default domain at opset >= 18 and every node is in the default domain;
//  2. the Mul multiplies the same x that the Softplus reads;
//  3. the Softplus and Tanh outputs are used only by the next node and are not graph outputs; all
//     three nodes are in one graph.
// No type condition: Softplus accepts float16, float and double before opset 22 and Mish accepts
// the same types (both add bfloat16 at 22), so a valid model's x always suits Mish.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMish : public Pass {
 public:
  std::string_view name() const override { return "fuse-mish"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
