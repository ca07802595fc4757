// fuse-convtranspose-batchnorm: folds an inference BatchNormalization into the ConvTranspose before it.
//
// Before:  c = ConvTranspose<group = G>(x, W, B)   y = BatchNormalization(c, scale, bias, mean, var)
// After:   y = ConvTranspose<group = G>(x, W', B')
//
// ConvTranspose's weight is laid out [C_in, M/G, k1, ...] (input channels first): input channel c
// belongs to group g = c / (C_in/G), and W[c, j, ...] contributes to output channel m = g*(M/G) + j.
// So the per-output-channel factor applies along axis 1, per group.
//
// Algebra, with s[m] = scale[m] / sqrt(var[m] + epsilon) and m(c, j) as above:
//   W'[c, j, ...] = W[c, j, ...] * s[m(c, j)]      B'[m] = (B[m] - mean[m]) * s[m] + bias[m]
// (B = 0 when absent). Computed in double, rounded once to the weights' type.
//
// Conditions:
//  1. BatchNormalization is in inference form (IsInferenceBatchNorm: one output; is_test = 1 below
//     opset 7; spatial = 1 up to opset 8; training_mode absent or 0 from opset 14);
//  2. the ConvTranspose's output is used only by it, and W (and B) are constants used only by this
//     ConvTranspose, so fusing never duplicates a weight;
//  3. W, B, scale, bias, mean, var are float or double constants; W has rank >= 3 and C_in
//     divisible by G; scale, bias, mean, var and B have M = G * W.dims[1] elements; B has W's type;
//  4. every new weight and bias is finite (a factor that overflows would turn finite outputs into
//     inf or NaN).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvtransposeBatchnorm : public Pass {
 public:
  std::string_view name() const override { return "fuse-convtranspose-batchnorm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
