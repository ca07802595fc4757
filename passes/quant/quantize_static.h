// Static quantization in QDQ form: QuantizeLinear/DequantizeLinear pairs around the float ops that
// have 8-bit implementations, with activation scales from calibrated ranges and weights stored as
// 8-bit initializers. The result is standard ONNX (opset >= 10; per-channel needs 13) that ONNX
// Runtime turns into integer kernels by fusing every DQ→op→Q unit.
//
// Before:  y = Conv(x, W, B); r = Relu(y)
// After:   xq = QuantizeLinear(x, sx, zx); xd = DequantizeLinear(xq, sx, zx)
//          Wd = DequantizeLinear(Wq, sw, zw, axis=0)          (Wq int8, per output channel)
//          Bd = DequantizeLinear(Bq, sx*sw, axis=0)            (Bq int32)
//          y  = Conv(xd, Wd, Bd); yq = QuantizeLinear(y, sr, zr); r = DequantizeLinear(yq, sr, zr)
//
// Conditions for a node to be quantized: ONNX domain, op type in options.op_types and not
// excluded (by name or op type), every float activation input has a range, no subgraph
// (only the main graph is quantized). A Relu or Clip (min <= 0 <= max) that is the only user of a
// quantized op's output is removed and the output quantized over the Relu/Clip's range (asymmetric
// activations only: a symmetric range cannot clip at 0).
#pragma once

#include <set>
#include <string>

#include "ir/model.h"
#include "ir/status.h"
#include "passes/quant/quant_params.h"
#include "passes/quant/ranges.h"

namespace onnxkit::quant {

// Conv, ConvTranspose, Gemm, MatMul, Add, Mul, AveragePool, GlobalAveragePool, Concat, Resize,
// Sigmoid, Softmax, LeakyRelu, Gather and the data-movement ops of qdq_propagation.h.
std::set<std::string> DefaultStaticOpTypes();

struct StaticOptions {
  bool per_channel = true;  // Conv/ConvTranspose/Gemm/MatMul constant weights
  QuantType activation_type = QuantType::kInt8;
  QuantType weight_type = QuantType::kInt8;
  bool symmetric_activations = false;
  bool symmetric_weights = true;
  bool reduce_range = false;  // 7-bit weights
  std::set<std::string> op_types = DefaultStaticOpTypes();
  std::set<std::string> exclude_nodes;     // node names
  std::set<std::string> exclude_op_types;
  bool absorb_relu_clip = true;
  // When the model imports opset 10..12 and per-channel is asked for: raise the import to 13 if
  // every op in the model means the same at 13; otherwise an error.
  bool allow_opset_upgrade = true;
};

// What QuantizeStatic did (for reports and tests).
struct StaticReport {
  size_t quantized_nodes = 0;
  size_t quantized_tensors = 0;   // Q/DQ pairs
  size_t quantized_weights = 0;
  size_t absorbed_activations = 0;
  std::vector<std::string> skipped;  // "node 'x' (Op): reason"
};

Status QuantizeStatic(Model& model, const RangeTable& ranges, const StaticOptions& options,
                      StaticReport* report);
inline Status QuantizeStatic(Model& model, const RangeTable& ranges, const StaticOptions& options = {}) {
  return QuantizeStatic(model, ranges, options, nullptr);
}

// Checks the opset import for QDQ (>= 10; >= 13 when `need_axis`), raising it to 13 when allowed
// and safe. Shared with the other quantization entry points.
Status PrepareOpset(Model& model, bool need_axis, bool allow_upgrade);

}  // namespace onnxkit::quant
