// fuse-conv-batchnorm: folds an inference-mode BatchNormalization into the Conv before it.
//
// Before:  c = Conv(x, W, B)   y = BatchNormalization(c, scale, bias, mean, var)
// After:   y = Conv(x, W', B')
//
// Algebra, per output channel m, with s = scale[m] / sqrt(var[m] + epsilon):
//   W'[m, ...] = W[m, ...] * s        B'[m] = (B[m] - mean[m]) * s + bias[m]   (B = 0 when absent)
// Computed in double, rounded once to the weights' type.
//
// Conditions:
//  1. BatchNormalization is in inference form: only its first output is used (opset >= 14:
//     training_mode absent or 0; opset <= 8: spatial = 1);
//  2. the Conv's output is used only by it, and W (and B) are constants used only by this Conv,
//     so fusing never duplicates a weight;
//  3. W, B, scale, bias, mean, var are constant float or double tensors, W has M output channels
//     and every BatchNormalization parameter has M elements.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvBatchNorm : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-batchnorm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
