// fuse-gemm-activation-ort: fuses a Gemm with the activation that follows it into ONNX Runtime's
// com.microsoft.FusedGemm.
//
// Before:  g = Gemm<transA, transB, alpha, beta>(A, B, C)   y = LeakyRelu<alpha = 0.1>(g)
// After:   y = com.microsoft.FusedGemm<transA, transB, alpha, beta, activation = "LeakyRelu",
//                                      activation_alpha = 0.1>(A, B, C)
//
// FusedGemm computes Y = activation(alpha * op(A) * op(B) + beta * C) with Gemm's semantics (C
// optional, broadcast to [M, N]). ONNX Runtime's kernel hands every attribute named
// "activation_<p>" to the activation as its attribute <p>, and requires each parameter the
// activation reads to be present, so the pass writes them all, with ONNX's defaults where the
// activation node had none:
//   Relu, Sigmoid, Tanh, Softsign, Softplus   (no parameters)
//   LeakyRelu        activation_alpha (0.01)
//   HardSigmoid      activation_alpha (0.2), activation_beta (0.5)
//   Elu              activation_alpha (1.0)
//   Selu             activation_alpha (1.67326...), activation_gamma (1.0507...)
//   ThresholdedRelu  activation_alpha (1.0)   (an ONNX op from opset 10)
//
// Conditions:
//  1. the activation is one of the above in the default domain (ThresholdedRelu at opset >= 10);
//  2. its input is the output of a default-domain Gemm in the same graph, used only by it (one
//     use, not a graph output), at opset >= 7 (before, C's broadcasting needed the broadcast
//     attribute);
//  3. the Gemm computes in float (ONNX Runtime's CPU FusedGemm is float only): an input or its
//     output is known to be float, and none is known to be of another type;
//  4. the Gemm has no attributes besides transA, transB, alpha, beta;
//  5. the model imports com.microsoft at version 1 or not at all (the pass adds the import).
//
// The fused node keeps the Gemm's attributes and name; its output keeps the activation output's
// name.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseGemmActivationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-gemm-activation-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
