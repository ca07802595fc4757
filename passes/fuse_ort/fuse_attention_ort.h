// fuse-attention-ort: fuses the self-attention subgraph of BERT-style encoders into ONNX Runtime's
// com.microsoft.Attention.
//
// Before (HuggingFace BERT as PyTorch exports it, after fold-constants and fold-shapes; B = batch,
// S = sequence, D = input hidden, N = heads, h = head size, H = N * h):
//   q_lin = Add(bq, MatMul(x, Wq))                      x: [B, S, D], Wq: [D, H], bq: [H] (either Add order)
//   q = Transpose<perm = [0, 2, 1, 3]>(Reshape(q_lin, [B, S, N, h]))                  [B, N, S, h]
//   k = Transpose<perm = [0, 2, 3, 1]>(Reshape(k_lin, [B, S, N, h]))                  [B, N, h, S]
//   v = Transpose<perm = [0, 2, 1, 3]>(Reshape(v_lin, [B, S, N, h]))                  [B, N, S, h]
//   scores = Add(Div(MatMul(q, k), c), mask_add)                                      [B, N, S, S]
//   mask_add = Mul(Sub(1, Cast<to = FLOAT>(Unsqueeze(Unsqueeze(mask, 1), 2))), f)      mask: int [B, S]
//   y = Reshape(Transpose<perm = [0, 2, 1, 3]>(MatMul(Softmax<axis = -1>(scores), v)), [B, S, H])
// After:
//   y = com.microsoft.Attention<num_heads = N (, scale = 1/c) (, mask_filter_value = f)>(
//           x, [Wq | Wk | Wv], [bq | bk | bv], Cast<to = INT32>(mask))
//
// Accepted variants: Mul(scores, 1/c) for the Div (and no scaling at all: scale = 1); no mask Add
// (no mask_index); K transposed by [0, 2, 1, 3] then [0, 1, 3, 2]; Wq given as Transpose(W) of a
// constant (the form before fold-constants); the Q/K/V projections already merged by
// fuse-qkv-matmuls into Split(Add(MatMul(x, W), b)) (the weight is reused when its columns are Q, K, V
// in that order); the Reshape target shapes as constants, or built by Concat of Unsqueeze(Gather(
// Shape(t), i)) pieces, or Shape<start, end>; one Unsqueeze with axes [1, 2]; Cast before or after
// the Unsqueezes; a mask already int32 (used as is).
//
// Algebra: Attention computes Q, K, V = x [Wq | Wk | Wv] + [bq | bk | bv] split in three, heads as
// column blocks of h (exactly the Reshape to [B, S, N, h]), softmax(scale Q K' + mask) V per head,
// and writes head n to columns [n h, (n + 1) h) of the output (exactly the Transpose back and the
// Reshape to [B, S, H]). With a raw 2-D mask_index it adds 0 where mask > 0 and mask_filter_value
// elsewhere: for a mask of 0s and 1s that is (1 - mask) * f, the additive mask of the pattern.
// ONNX Runtime's scale is 1/sqrt(h) in float by default; the attribute is written when the
// pattern's factor differs from that float.
//
// Conditions (any failing one leaves the subgraph alone):
//  1. every matched node is in the default domain and in the same graph; the model imports
//     com.microsoft at version 1 or not at all; Softmax normalizes the last axis only (axis 3 or
//     -1: for opsets < 13 the 2-D coercion at axis 3 of a rank-4 input is the same);
//  2. Q, K and V are projections of the same x by constant 2-D float weights of the same column
//     count H, with constant 1-D float biases of H elements (a missing bias is zeros); the heads
//     are N equal blocks of h = H / N columns (the Reshape targets end with constants N, h, and the
//     Q, K and V targets agree);
//  3. each Reshape target's first two entries provably copy x's batch and sequence dimensions:
//     0 (allowzero unset), a Gather of the Shape of x or of a tensor of the pattern with the same
//     first dimensions, or a constant equal to the known static dimension; at most one of them may
//     be -1 instead; the output Reshape's last entry is H (or -1);
//  4. the scaling factor is a one-element float constant giving a finite non-zero float scale;
//  5. the mask term, when present, is exactly (1 - Cast<to = FLOAT>(m4)) * f with constants 1 and a
//     finite f, where m4 is an int32/int64/bool [B, S] tensor unsqueezed to [B, 1, 1, S] (its shape,
//     when known along with x's, agrees with x's batch and sequence). The mask is assumed to hold
//     0s and 1s, the contract of HuggingFace's attention_mask and of ONNX Runtime's own fusion:
//     for other values the original's (1 - m) * f is not an on/off mask, which Attention cannot
//     express. A bool mask is always exact;
//  6. every intermediate value is used only inside the pattern (including the Shape nodes that
//     compute the Reshape targets) and is not a graph output;
//  7. each weight and bias constant is used only by its own projection (no weight is duplicated);
//  8. x's rank, when known, is 3 (Attention's input is [B, S, D]; when shape inference did not
//     give it, the pattern's Gathers of dimensions 0 and 1 and the Reshapes pin it except for
//     degenerate unit dimensions, where Attention reports an error rather than a wrong result).
//
// Emitted: com.microsoft.Attention version 1 with float tensors, num_heads, optional scale and
// mask_filter_value, and mask_index as a raw 2-D int32 mask or absent (no past, no
// unidirectional, no qkv_hidden_sizes). GPT-style causal masks are not matched.
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseAttentionOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-attention-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
