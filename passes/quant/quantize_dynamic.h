// Dynamic quantization: weights quantized ahead of time, activations quantized at run time by
// DynamicQuantizeLinear (uint8: the only type ONNX and ONNX Runtime give it), products computed by
// MatMulInteger (ORT runs uint8 x int8) and rescaled in float.
//
// Before:  y = MatMul(A, W)                       (W a float constant [K, N])
// After:   Aq, sa, za = DynamicQuantizeLinear(A)  (one per activation, shared by its MatMuls)
//          acc = MatMulInteger(Aq, Wq, za[, zw])  (Wq int8 [K, N]; zw per column, left out when 0)
//          y   = Mul(Cast<float>(acc), Mul(sa, sw))   (sw: [N] per column, or a scalar)
// Gemm(A, B, C) with transA = 0 is the same with B transposed when transB = 1, alpha folded
// into sw and `+ beta*C` as an Add.
//
// Conv (only when "Conv" is added to options.op_types) becomes ConvInteger the same way, with
// weights per output channel (axis 0) and the scale and bias reshaped to [M, 1, ..., 1]. ONNX
// Runtime's ConvInteger kernel may only accept uint8 weights: use weight_type kUint8 for it.
//
// Conditions: ONNX domain, op type in options.op_types, node not excluded, the weight a float
// constant (rank 2; Conv: rank >= 3, bias a float constant) and A a float activation (not a
// constant). Opset >= 11.
#pragma once

#include <set>
#include <string>

#include "ir/model.h"
#include "ir/status.h"
#include "passes/quant/quant_params.h"

namespace onnxkit::quant {

struct DynamicOptions {
  bool per_channel = true;  // one scale per column of W
  QuantType weight_type = QuantType::kInt8;
  bool symmetric_weights = true;
  bool reduce_range = false;
  std::set<std::string> op_types = {"Gemm", "MatMul"};  // add "Conv" for ConvInteger
  std::set<std::string> exclude_nodes;
};

struct DynamicReport {
  size_t quantized_nodes = 0;
};

Status QuantizeDynamic(Model& model, const DynamicOptions& options, DynamicReport* report);
inline Status QuantizeDynamic(Model& model, const DynamicOptions& options = {}) {
  return QuantizeDynamic(model, options, nullptr);
}

}  // namespace onnxkit::quant
