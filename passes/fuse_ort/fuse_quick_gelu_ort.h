// fuse-quick-gelu-ort: turns x * Sigmoid(alpha x) — SiLU/Swish (alpha = 1) of EfficientNet and
// YOLO, and the "quick GELU" approximation (alpha = 1.702) of CLIP — into ONNX Runtime's
// com.microsoft.QuickGelu.
//
// Before:
//   s = Sigmoid(x)          or   a = Mul(x, alpha)  (either order)   s = Sigmoid(a)
//   y = Mul(x, s)           (either order)
// After:
//   y = com.microsoft.QuickGelu<alpha = 1.0 | alpha>(x)
//
// Algebra: QuickGelu(x) = x * Sigmoid(alpha x), the pattern itself.
//
// Conditions:
//  1. all nodes in the default domain and one graph; the Sigmoid output (and the scaling Mul's)
//     used only by the next node of the pattern, not a graph output;
//  2. the outer Mul multiplies the same x the Sigmoid (or the scaling Mul) reads;
//  3. alpha is a one-element float constant that leaves x's shape alone (rank 0, or rank <= x's);
//  4. the computation is in float (ONNX Runtime's CPU QuickGelu is float only): a value of the
//     pattern is known to be float and none is known to be of another type;
//  5. the model imports com.microsoft at version 1 or not at all (the pass adds the import).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseQuickGeluOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-quick-gelu-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
