// fuse-matmul-scale-ort: fuses a MatMul with Transposes (of the last two axes) of its inputs and
// with multiplications or divisions by a scalar constant of its inputs or output into ONNX
// Runtime's com.microsoft.FusedMatMul.
//
// Before:  kt = Transpose<perm = [0, 2, 1]>(k)   q2 = Mul(q, s)   m = MatMul(q2, kt)   y = Div(m, d)
// After:   y = com.microsoft.FusedMatMul<alpha = s / d, transA = 0, transB = 1>(q, k)
//
// FusedMatMul computes Y = alpha * op(A) x op(B), where op swaps the last two axes when transA /
// transB is 1, with MatMul's (numpy's) broadcasting of the batch axes. An existing FusedMatMul
// (transBatchA = transBatchB = 0) absorbs more the same way; a Transpose of an input already
// transposed cancels it (the flag goes back to 0). transBatchA/transBatchB are never written.
//
// Algebra: with scalars s, Transpose T of the last two axes,
//   (A * s) x B = A x (B * s) = (A x B) * s;   (A / s) x B = (A x B) * (1 / s);   T(A) x B = op(A) x B,
// so alpha is the product of the absorbed factors (and the node's own alpha), computed in double
// and rounded once to float.
//
// Conditions:
//  1. the node is a default-domain MatMul without attributes, or a com.microsoft.FusedMatMul with
//     only alpha/transA/transB (transBatchA/B absent or 0) attributes; it computes in float
//     (ONNX Runtime's CPU FusedMatMul is float only): an input or output of the MatMul or of the
//     fused node is known to be float, and none is known to be of another type;
//  2. an absorbed input is the output of a node in the same graph used only by that one input
//     (one use, not a graph output):
//     - a default-domain Transpose whose perm swaps the last two axes and keeps the others
//       ([0, ..., n-3, n-1, n-2], n >= 2; no perm: reversal, only for a known rank of 2);
//     - a Mul by (either input) or a Div by (second input) a constant with one element, of float
//       type, finite and not 0, whose rank does not exceed the other operand's (known) rank, so
//       broadcasting it changes no shape;
//  3. an absorbed output scaling is the only use of the MatMul's output (not a graph output): a
//     Mul by or Div by such a constant in the same graph, against the output's known rank;
//  4. at least one Transpose or scaling is absorbed, and the final alpha is finite and not 0 in
//     float;
//  5. the model imports com.microsoft at version 1 or not at all (the pass adds the import).
//
// The fused node takes the MatMul's name; its output keeps the name of the last absorbed value.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMatmulScaleOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-matmul-scale-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
