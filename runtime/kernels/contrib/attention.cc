// ONNX Runtime contrib attention ops (domain com.microsoft): Attention.
//
// Attention (com.microsoft, version 1), as ONNX Runtime's CPU kernel computes it (checked against
// onnxruntime-node 1.30 with tools/ort-run: every mask form below agrees to float rounding):
//
//   input [B, S, D], weights [D, Hq + Hk + Hv], bias [Hq + Hk + Hv] (optional)
//   Q, K, V = input x weights + bias, split on the last axis into Hq, Hk, Hv columns
//             (qkv_hidden_sizes, default three equal thirds), each viewed as [B, S, N, h]
//             with N = num_heads and h = H / N
//   score[b, n, i, j] = scale * <Q[b, i, n, :], K[b, j, n, :]> + attention_bias[b, n, i, j] + mask[b, i, j]
//   output[b, i, n * hv + d] = sum_j softmax_j(score[b, n, i, :]) * V[b, j, n, d]        [B, S, Hv]
//
// scale: the attribute when present and non-zero, else 1 / sqrt(h) (rounded to float).
// mask[b, i, j] (mask_filter_value f, default -10000) from the optional int32 mask_index:
//   [B, T]     raw mask: 0 where mask_index[b, j] > 0, else f;
//   [B, S, T]  raw mask per query: 0 where mask_index[b, i, j] > 0, else f;
//   [B]        right padding: f where j >= mask_index[b] (the valid length);
//   [2B]       also left padding: f where j < mask_index[B + b] (the start);
//   other forms ([B, 1, M, M] and [3B + 2], GPU-only in ONNX Runtime) are rejected.
// unidirectional = 1 adds -10000 (the literal, not f, as ONNX Runtime does) where j > i.
// attention_bias (optional): [B or 1, N or 1, S, T], added as is.
// The optional output `present` is [2, B, N, S, h]: K and V per head (needs Hk = Hv).
// Not supported (an error): the `past` and `past_sequence_length` inputs, past_present_share_buffer,
// do_rotary. Here T = S (self-attention without past state).
//
// Arithmetic: the projections and dot products accumulate in double and round to the element
// type; mask and bias are added in float (like ONNX Runtime, so a fully masked row gives the same
// result as the unfused Add of a -10000 mask); softmax and the weighted sum of V run in double and
// round once.
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

template <typename T>
double AsDouble(T value) {
  return static_cast<double>(ToCompute(value));
}

class Attention : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    num_heads_ = node.getInt("num_heads", 0);
    if (num_heads_ <= 0) return Status::Error("num_heads must be a positive integer, got {}", num_heads_);
    int64_t unidirectional = node.getInt("unidirectional", 0);
    if (unidirectional != 0 && unidirectional != 1)
      return Status::Error("unidirectional must be 0 or 1, got {}", unidirectional);
    unidirectional_ = unidirectional == 1;
    if (node.getInt("past_present_share_buffer", 0) != 0)
      return Status::Error("past_present_share_buffer is not supported");
    if (node.getInt("do_rotary", 0) != 0) return Status::Error("do_rotary is not supported");
    mask_filter_value_ = node.getFloat("mask_filter_value", -10000.0f);
    scale_ = node.getFloat("scale", 0.0f);
    if (auto sizes = node.getInts("qkv_hidden_sizes")) {
      if (sizes->size() != 3) return Status::Error("qkv_hidden_sizes must have 3 elements, got {}", sizes->size());
      for (int64_t size : *sizes)
        if (size <= 0 || size % num_heads_ != 0)
          return Status::Error("qkv_hidden_sizes must be positive multiples of num_heads ({}), got {}", num_heads_,
                               size);
      if ((*sizes)[0] != (*sizes)[1])
        return Status::Error("qkv_hidden_sizes: Q and K must have the same hidden size, got {} and {}", (*sizes)[0],
                             (*sizes)[1]);
      qkv_hidden_sizes_ = std::move(*sizes);
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* input, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* weights, context.requiredInput(1));
    const Tensor* bias = context.input(2);
    const Tensor* mask = context.input(3);
    if (context.input(4)) return Status::Error("the 'past' input is not supported");
    const Tensor* attention_bias = context.input(5);
    if (context.input(6)) return Status::Error("the 'past_sequence_length' input is not supported");

    if (input->rank() != 3)
      return Status::Error("input must have shape [batch, sequence, hidden], got {}", DescribeTensor(*input));
    if (weights->rank() != 2 || weights->dim(0) != input->dim(2))
      return Status::Error("weights must have shape [{}, 3 * hidden], got {}", input->dim(2), DescribeTensor(*weights));
    if (weights->dtype() != input->dtype() || (bias && bias->dtype() != input->dtype()))
      return Status::Error("input, weights and bias must have the same element type");
    const int64_t batch = input->dim(0), sequence = input->dim(1), input_hidden = input->dim(2);
    const int64_t total = weights->dim(1);
    int64_t hq = total / 3, hk = total / 3, hv = total / 3;
    if (!qkv_hidden_sizes_.empty()) {
      hq = qkv_hidden_sizes_[0];
      hk = qkv_hidden_sizes_[1];
      hv = qkv_hidden_sizes_[2];
    }
    if (hq + hk + hv != total)
      return Status::Error("weights have {} columns, expected Q + K + V hidden sizes {} + {} + {}", total, hq, hk, hv);
    if (hq % num_heads_ != 0 || hv % num_heads_ != 0 || hq == 0 || hv == 0)
      return Status::Error("hidden sizes {} (Q, K) and {} (V) must be positive multiples of num_heads {}", hq, hv,
                           num_heads_);
    if (bias && (bias->rank() != 1 || bias->dim(0) != total))
      return Status::Error("bias must have shape [{}], got {}", total, DescribeTensor(*bias));
    const int64_t heads = num_heads_, head = hq / heads, v_head = hv / heads;

    // Additive mask [B, S, T] (T = S), in float.
    std::vector<float> mask_values;
    if (mask || unidirectional_) {
      ONNXKIT_ASSIGN_OR_RETURN(mask_values, MaskValues(mask, batch, sequence));
    }
    if (attention_bias) {
      if (attention_bias->dtype() != input->dtype())
        return Status::Error("attention_bias must have the input's element type");
      if (attention_bias->rank() != 4 || (attention_bias->dim(0) != batch && attention_bias->dim(0) != 1) ||
          (attention_bias->dim(1) != heads && attention_bias->dim(1) != 1) || attention_bias->dim(2) != sequence ||
          attention_bias->dim(3) != sequence)
        return Status::Error("attention_bias must have shape [{} or 1, {} or 1, {}, {}], got {}", batch, heads,
                             sequence, sequence, DescribeTensor(*attention_bias));
    }
    const bool want_present = context.outputCount() > 1 && context.outputRequested(1);
    if (want_present && hk != hv)
      return Status::Error("the 'present' output needs equal K and V hidden sizes, got {} and {}", hk, hv);

    return DispatchAmong<DataType::kFloat, DataType::kFloat16, DataType::kBfloat16>(
        input->dtype(), "Attention", [&]<typename T>() -> Status {
          // Projections: qkv[b, s, c] for c in [0, total), rounded to T like the unfused MatMul/Add.
          const T* x = input->data<T>();
          const T* w = weights->data<T>();
          const T* bias_data = bias ? bias->data<T>() : nullptr;
          const int64_t rows = batch * sequence;
          std::vector<float> qkv(static_cast<size_t>(rows * total));
          std::vector<double> acc(static_cast<size_t>(total));
          for (int64_t r = 0; r < rows; ++r) {
            for (int64_t c = 0; c < total; ++c) acc[c] = bias_data ? AsDouble(bias_data[c]) : 0.0;
            for (int64_t k = 0; k < input_hidden; ++k) {
              double xv = AsDouble(x[r * input_hidden + k]);
              const T* w_row = w + k * total;
              for (int64_t c = 0; c < total; ++c) acc[c] += xv * AsDouble(w_row[c]);
            }
            for (int64_t c = 0; c < total; ++c)
              qkv[r * total + c] = static_cast<float>(ToCompute(FromCompute<T>(static_cast<ComputeType<T>>(acc[c]))));
          }
          auto q_at = [&](int64_t b, int64_t s, int64_t n, int64_t d) {
            return qkv[(b * sequence + s) * total + n * head + d];
          };
          auto k_at = [&](int64_t b, int64_t s, int64_t n, int64_t d) {
            return qkv[(b * sequence + s) * total + hq + n * head + d];
          };
          auto v_at = [&](int64_t b, int64_t s, int64_t n, int64_t d) {
            return qkv[(b * sequence + s) * total + hq + hk + n * v_head + d];
          };

          const float scale = scale_ != 0.0f ? scale_ : 1.0f / std::sqrt(static_cast<float>(head));
          const T* bias4 = attention_bias ? attention_bias->data<T>() : nullptr;
          ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, input->dtype(), {batch, sequence, hv}));
          T* y = out->mutableData<T>();
          std::vector<double> row(static_cast<size_t>(sequence));
          for (int64_t b = 0; b < batch; ++b) {
            for (int64_t n = 0; n < heads; ++n) {
              for (int64_t i = 0; i < sequence; ++i) {
                for (int64_t j = 0; j < sequence; ++j) {
                  double dot = 0;
                  for (int64_t d = 0; d < head; ++d)
                    dot += static_cast<double>(q_at(b, i, n, d)) * static_cast<double>(k_at(b, j, n, d));
                  float score = static_cast<float>(static_cast<double>(scale) * dot);
                  float add = 0.0f;
                  if (bias4) {
                    int64_t bb = attention_bias->dim(0) == 1 ? 0 : b;
                    int64_t nn = attention_bias->dim(1) == 1 ? 0 : n;
                    add = static_cast<float>(
                        ToCompute(bias4[((bb * attention_bias->dim(1) + nn) * sequence + i) * sequence + j]));
                  }
                  if (!mask_values.empty()) add += mask_values[(b * sequence + i) * sequence + j];
                  row[j] = static_cast<double>(score + add);
                }
                double max = -std::numeric_limits<double>::infinity();
                for (double v : row) max = std::max(max, v);
                double sum = 0;
                for (double& v : row) sum += (v = std::exp(v - max));
                for (double& v : row) v /= sum;
                for (int64_t d = 0; d < v_head; ++d) {
                  double value = 0;
                  for (int64_t j = 0; j < sequence; ++j) value += row[j] * static_cast<double>(v_at(b, j, n, d));
                  y[(b * sequence + i) * hv + n * v_head + d] = FromCompute<T>(static_cast<ComputeType<T>>(value));
                }
              }
            }
          }
          if (want_present) {
            ONNXKIT_ASSIGN_OR_RETURN(Tensor * present,
                                     context.allocateOutput(1, input->dtype(), {2, batch, heads, sequence, head}));
            T* p = present->mutableData<T>();
            for (int64_t kv = 0; kv < 2; ++kv)
              for (int64_t b = 0; b < batch; ++b)
                for (int64_t n = 0; n < heads; ++n)
                  for (int64_t s = 0; s < sequence; ++s)
                    for (int64_t d = 0; d < head; ++d) {
                      float v = kv == 0 ? k_at(b, s, n, d) : v_at(b, s, n, d);
                      p[(((kv * batch + b) * heads + n) * sequence + s) * head + d] =
                          FromCompute<T>(static_cast<ComputeType<T>>(v));
                    }
          }
          return Status::Ok();
        });
  }

 private:
  // The additive mask [B, S, S] from mask_index (may be null) and unidirectional.
  Result<std::vector<float>> MaskValues(const Tensor* mask, int64_t batch, int64_t sequence) const {
    std::vector<float> values(static_cast<size_t>(batch * sequence * sequence), 0.0f);
    const float filter = mask_filter_value_;
    if (mask) {
      if (mask->dtype() != DataType::kInt32)
        return Status::Error("mask_index must be int32, got {}", DataTypeName(mask->dtype()));
      const int32_t* m = mask->data<int32_t>();
      auto at = [&](int64_t b, int64_t i, int64_t j) -> float& { return values[(b * sequence + i) * sequence + j]; };
      if (mask->rank() == 2 && mask->dim(0) == batch && mask->dim(1) == sequence) {
        for (int64_t b = 0; b < batch; ++b)
          for (int64_t i = 0; i < sequence; ++i)
            for (int64_t j = 0; j < sequence; ++j) at(b, i, j) = m[b * sequence + j] > 0 ? 0.0f : filter;
      } else if (mask->rank() == 3 && mask->dim(0) == batch && mask->dim(1) == sequence && mask->dim(2) == sequence) {
        for (int64_t k = 0; k < batch * sequence * sequence; ++k) values[k] = m[k] > 0 ? 0.0f : filter;
      } else if (mask->rank() == 1 && (mask->dim(0) == batch || mask->dim(0) == 2 * batch)) {
        bool has_start = mask->dim(0) == 2 * batch;
        for (int64_t b = 0; b < batch; ++b) {
          int64_t end = m[b];
          int64_t start = has_start ? m[batch + b] : 0;
          for (int64_t i = 0; i < sequence; ++i)
            for (int64_t j = 0; j < sequence; ++j)
              if (j >= end || j < start) at(b, i, j) = filter;
        }
      } else {
        return Status::Error(
            "mask_index must have shape [{0}, {1}] or [{0}, {1}, {1}] (raw masks), or [{0}] or [{2}] (end and start "
            "positions), got {3}",
            batch, sequence, 2 * batch, DescribeTensor(*mask));
      }
    }
    if (unidirectional_) {
      for (int64_t b = 0; b < batch; ++b)
        for (int64_t i = 0; i < sequence; ++i)
          for (int64_t j = i + 1; j < sequence; ++j) values[(b * sequence + i) * sequence + j] += -10000.0f;
    }
    return values;
  }

  int64_t num_heads_ = 0;
  bool unidirectional_ = false;
  float mask_filter_value_ = -10000.0f;
  float scale_ = 0.0f;
  std::vector<int64_t> qkv_hidden_sizes_;
};

const KernelRegistration kKernels[] = {
    {"com.microsoft", "Attention", 1, kLatestOpset, CreateKernel<Attention>},
};

}  // namespace

std::span<const KernelRegistration> ContribAttentionKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
