// The activations of ONNX Runtime's FusedConv (activation, activation_params) and FusedGemm
// (activation, activation_alpha/beta/gamma), shared by the reference contrib kernels and the
// optimized kernels that map them onto their library's post-ops.
#pragma once

#include "ir/node.h"
#include "ir/status.h"

namespace onnxkit::runtime::reference {

// As ONNX Runtime's MLAS activations and element-wise functors define them. NaN stays NaN.
enum class ActivationKind {
  kIdentity, kRelu, kSigmoid, kTanh, kSilu, kLeakyRelu, kClip, kHardSigmoid, kElu, kSelu, kCelu, kSoftplus,
  kSoftsign, kThresholdedRelu, kScaledTanh, kParametricSoftplus
};

struct Activation {
  ActivationKind kind = ActivationKind::kIdentity;
  double alpha = 0, beta = 0, gamma = 0;

  double operator()(double v) const;
};

// FusedConv: "activation" (absent: none) with its "activation_params" list, exactly as many as
// the activation takes (ONNX Runtime's GetFusedActivationAttr).
Result<Activation> ReadConvActivation(const Node& node);

// FusedGemm: "activation" (required, as ONNX Runtime's kernel requires it) and each parameter
// the activation reads as the float attribute "activation_<name>".
Result<Activation> ReadGemmActivation(const Node& node);

}  // namespace onnxkit::runtime::reference
