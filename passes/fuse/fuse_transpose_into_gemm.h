// fuse-transpose-into-gemm: folds a 2-D Transpose of a Gemm input into the Gemm's transA/transB.
//
// Before:  t = Transpose<perm = [1, 0]>(b)   y = Gemm<transB = 0>(a, t, c)
// After:   y = Gemm<transB = 1>(a, b, c)
// (likewise for input A and transA; a flag that was 1 becomes 0).
//
// Algebra: Gemm uses op(B) = transB ? B^T : B, and (b^T)^T = b.
//
// Conditions:
//  1. Gemm and Transpose are in the default domain; the Transpose feeds Gemm input A or B
//     (never C, which is not transposable);
//  2. the Transpose's perm is [1, 0], or absent (the default reverses the dims, and an input of
//     Gemm's A or B is 2-D);
//  3. the Transpose's output is used only by this Gemm (as A, B or both) and is not a graph
//     output, so the Transpose goes away.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseTransposeIntoGemm : public Pass {
 public:
  std::string_view name() const override { return "fuse-transpose-into-gemm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
