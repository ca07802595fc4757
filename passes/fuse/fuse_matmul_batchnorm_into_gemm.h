// fuse-matmul-batchnorm-into-gemm: turns a 2-D MatMul by a constant weight followed by an inference
// BatchNormalization into one Gemm with the normalization folded into its weight and bias.
//
// Before:  t = MatMul(x, W)   y = BatchNormalization(t, scale, bias, mean, var)
//          with x: [B, K], W: [K, N] constant; the normalization runs over the N features (axis 1)
// After:   y = Gemm(x, W', b')
//
// Algebra, with s[n] = scale[n] / sqrt(var[n] + epsilon):
//   W'[k, n] = W[k, n] * s[n]        b'[n] = bias[n] - mean[n] * s[n]
// Computed in double, rounded once to W's type; the result differs only by rounding.
//
// Conditions:
//  1. the model imports the default domain at opset >= 7 (Gemm's C broadcasts unidirectionally);
//  2. BatchNormalization is in inference form (IsInferenceBatchNorm) with constant scale, bias,
//     mean and var of N float/double elements each;
//  3. the MatMul's output is used only by it and is not a graph output;
//  4. x has known rank 2 (a higher rank would put the features on the last axis, not on the
//     normalized axis 1); W is a float or double constant of rank 2 used only by this MatMul (the
//     scaled copy replaces it, never duplicates it);
//  5. every element of W' and b' is finite.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMatmulBatchnormIntoGemm : public Pass {
 public:
  std::string_view name() const override { return "fuse-matmul-batchnorm-into-gemm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
