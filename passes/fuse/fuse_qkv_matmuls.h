// fuse-qkv-matmuls: merges MatMuls of one input by several constant weights (BERT's Q, K and V
// projections) into one MatMul by the concatenated weight and a Split.
//
// Before:
//   q = MatMul(x, Wq)     k = MatMul(x, Wk)     v = MatMul(x, Wv)        W_i: [K, N_i] constants
// After:
//   qkv = MatMul(x, W)                                                    W = [Wq | Wk | Wv]: [K, sum N_i]
//   q, k, v = Split<axis = -1>(qkv, split)                                split = [N_q, N_k, N_v]
//
// With a bias Add after every MatMul (all of them, or none is fused):
//   q = Add(MatMul(x, Wq), bq)  ...                                       b_i: [N_i] constants
// After:
//   qkv = Add(MatMul(x, W), b)                                            b = [bq | bk | bv]
//   q, k, v = Split<axis = -1>(qkv, split)
//
// Algebra: column j of x W is x W[:, j], so the columns of x W that come from W_i are x W_i,
// computed by the same dot products; adding the concatenated bias adds b_i to exactly those
// columns. Split on the last axis (x's rank does not matter: the product's last axis is always
// the weights' N) hands back each x W_i (+ b_i).
//
// Conditions:
//  1. the MatMuls are default-domain nodes of one graph with the same first input x and each a
//     constant 2-D weight [K, N_i] (N_i > 0), of one element type and one K;
//  2. each weight is used only by its MatMul (so no weight is duplicated);
//  3. biases are fused only when every MatMul's output is used only by an Add (same graph, not a
//     graph output) whose other operand is a constant 1-D [N_i] of the same element type;
//  4. it reduces the node count: at least 3 MatMuls without biases (n nodes become 2), at least 2
//     with biases (2n become 3);
//  5. Split's form follows the opset: sizes as an input from opset 13, as the `split` attribute
//     before; axis -1 from opset 11, rank(x) - 1 before (x's rank must be declared); the model
//     must import the default domain at opset >= 2.
// The MatMuls are grouped in node order; the Split's outputs replace the old results in that order.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseQkvMatmuls : public Pass {
 public:
  std::string_view name() const override { return "fuse-qkv-matmuls"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
