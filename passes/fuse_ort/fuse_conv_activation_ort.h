// fuse-conv-activation-ort: fuses a Conv (and an Add of a residual to its output) with the
// activation that follows into ONNX Runtime's com.microsoft.FusedConv.
//
// Before:  c = Conv<attrs>(x, W, B)          y = Relu(c)
// After:   y = com.microsoft.FusedConv<attrs, activation = "Relu">(x, W, B)
//
// Before:  c = Conv<attrs>(x, W, B)   s = Add(c, z)   y = Relu(s)
// After:   y = com.microsoft.FusedConv<attrs, activation = "Relu">(x, W, B, z)
//
// FusedConv computes Y = activation(Conv(X, W, B) + Z) (ONNX Runtime's CPU kernel accumulates the
// convolution onto a copy of Z, then applies the activation). Activations and their
// activation_params, as ONNX Runtime's kernel reads them:
//   Relu, Sigmoid, Tanh                       (no parameters)
//   LeakyRelu     [alpha]                     (default 0.01)
//   HardSigmoid   [alpha, beta]               (defaults 0.2, 0.5)
//   Clip          [min, max]                  opset 6-10: the min/max attributes (defaults the
//                                             float extremes, as Clip-6 defines them); opset >= 11:
//                                             constant scalar inputs, an absent one is -inf / +inf.
//
// Conditions:
//  1. the activation is one of the above in the default domain; Clip at opset >= 6, its bounds
//     known (attributes, or constant one-element inputs) with min <= max and not NaN;
//  2. its input is the output of a default-domain Conv (or of an Add whose one input is such a
//     Conv's output), used only by it: one use, not a graph output; the Conv is in the same graph
//     and has no attribute holding a tensor or graph;
//  3. the Conv computes in float (ONNX Runtime's CPU FusedConv is float only): X, W or its
//     output is known to be float, and none is known to be of another type;
//  4. with an Add: the Conv's output is used only by the Add, and the other input Z has a known
//     shape equal to the Conv output's (ONNX Runtime requires the same shape: no broadcasting) and
//     float type;
//  5. the model imports com.microsoft at version 1 or not at all (the pass adds the import).
//
// The fused node keeps the Conv's attributes and name; its output keeps the activation output's
// name (a graph output stays one).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvActivationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-activation-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
