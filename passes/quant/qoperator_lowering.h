// QOperator lowering: turns QDQ units (DequantizeLinear inputs → float op → one QuantizeLinear)
// into single quantized operators, the format older ONNX Runtime versions and other runtimes load
// without QDQ fusion.
//
// Before:  xd = DequantizeLinear(xq, sx, zx); wd = DequantizeLinear(wq, sw, zw); bd = DequantizeLinear(bq, sx*sw)
//          y = Conv(xd, wd, bd); yq = QuantizeLinear(y, sy, zy)
// After:   yq = QLinearConv(xq, sx, zx, wq, sw, zw, sy, zy, bq)
//
// Lowered: Conv → QLinearConv and MatMul → QLinearMatMul (ONNX); Add, Mul, Concat, AveragePool,
// GlobalAveragePool, Sigmoid, LeakyRelu, Softmax → com.microsoft QLinear* (ONNX Runtime contrib ops;
// the com.microsoft opset 1 import is added when used). Flatten, MaxPool (opset >= 12), Reshape,
// Squeeze, Transpose and Unsqueeze between a DQ and a Q with the same scale and zero point run on
// the 8-bit data directly (both nodes go).
// Conditions: the op's only user is a QuantizeLinear (the op's output is not a graph output); every
// float input comes from a DequantizeLinear with constant scale and zero point (per-tensor, except
// QLinearConv's weight per output channel and QLinearMatMul's B per column); Conv's bias is int32
// with scale sx*sw and zero point 0; zero points are present (they give the types). The unit's
// DequantizeLinear nodes stay while something else uses them.
#pragma once

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit::quant {

struct LoweringReport {
  size_t lowered = 0;
};

Status LowerToQOperator(Model& model, LoweringReport* report);
inline Status LowerToQOperator(Model& model) { return LowerToQOperator(model, nullptr); }

}  // namespace onnxkit::quant
