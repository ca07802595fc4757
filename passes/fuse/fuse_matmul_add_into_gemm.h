// fuse-matmul-add-into-gemm: turns a 2-D MatMul followed by an Add into Gemm.
//
// Before:  t = MatMul(a, b)   y = Add(t, c)        (or Add(c, t))
//          with a: [M, K], b: [K, N], c broadcastable to [M, N]: [N], [1, N], [M, 1], [M, N], [], ...
// After:   y = Gemm(a, b, c)                       (alpha = beta = 1, no transposes)
//
// Algebra: Gemm computes a·b + c with c broadcast unidirectionally to [M, N], which is what
// MatMul + Add computes when c's broadcast does not grow the product's shape.
//
// Conditions:
//  1. the model imports the default domain at opset >= 7 (Gemm's C broadcasts unidirectionally
//     from Gemm-7; older Adds broadcast with axis/broadcast attributes); MatMul and Add are in
//     the default domain;
//  2. the MatMul's output has no other use and is not a graph output;
//  3. a and b have known rank 2 (constant or declared type): MatMul of higher ranks batches, and
//     a 1-D operand is promoted and squeezed, neither of which Gemm does;
//  4. c has a known static shape (constant or declared type; c need not be constant) of rank <= 2
//     whose dims, right-aligned against [M, N], are each 1 or equal to that product dim — a dim
//     > 1 needs the product dim to be known (M from a's shape, N from b's): otherwise the Add
//     could broadcast the product to a larger shape, which Gemm cannot;
//  5. the element type is one Gemm accepts at the model's opset (float16/float/double; from
//     opset 11 also int32/int64/uint32/uint64; from 13 also bfloat16).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMatmulAddIntoGemm : public Pass {
 public:
  std::string_view name() const override { return "fuse-matmul-add-into-gemm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
