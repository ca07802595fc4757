// fuse-pad-into-conv: folds a constant Pad of the spatial dims into the pads of the Conv or pooling
// node that reads it.
//
// Before:  p = Pad<mode = "constant">(x, pads = [0, 0, 1, 2, 0, 0, 1, 2])   y = Conv<pads = [0, 0, 0, 0]>(p, W)
// After:   y = Conv<pads = [1, 2, 1, 2]>(x, W)
//
// Pad's pads list all begins then all ends ([x1_begin, x2_begin, ..., x1_end, ...]) over every
// axis (or over its `axes` input, opset >= 18); Conv/pool pads do the same over the spatial axes
// only. So pads'[i] = pads[i] + pad_begin[i + 2] and pads'[i + S] = pads[i + S] + pad_end[i + 2]
// for the S = rank - 2 spatial axes.
//
// Why each consumer is equivalent:
//  - Conv pads with zeros: a constant Pad of +0 (the default value) adds exactly those zeros;
//  - AveragePool with count_include_pad = 1 averages over windows that count padded positions as
//    zeros: a Pad of +0 before it gives the same sums and the same divisors (with
//    count_include_pad = 0 the divisor would change, so that does not apply);
//  - MaxPool ignores padded positions, which is what padding with -inf does, as long as every
//    window still holds a real element (pads < kernel and dilations 1) — any other value could
//    become a window's maximum, so only -inf applies.
//
// Conditions:
//  1. Pad is in the default domain, mode "constant" (the default), with constant pads (attribute
//     `paddings` at opset 1, `pads` at 2..10, a constant input from 11, with a constant `axes`
//     input at >= 18) and a constant value (attribute `value` < 11, a constant scalar input or
//     absent >= 11): +0 for Conv and AveragePool, -inf for MaxPool;
//  2. Pad's output is used only by the consumer's input 0 and is not a graph output;
//  3. the batch and channel axes (0 and 1) are not padded and no pad is negative (that crops);
//     the rank is known (from the pads' length, the Pad input's type, Conv's weight or the
//     pool's kernel_shape), and agrees with the consumer;
//  4. the consumer is in the default domain with auto_pad absent or NOTSET;
//  5. Conv: nothing more (ConvTranspose's pads crop its output, so it does not apply);
//  6. AveragePool: opset >= 7 and count_include_pad = 1; MaxPool: the Indices output is not
//     produced (its indices refer to the unpadded input); both: ceil_mode = 0, dilations absent or
//     all 1, and each resulting pad < the kernel size on its axis (ONNX Runtime rejects larger
//     pool pads, and a window of padding alone would differ).
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FusePadIntoConv : public Pass {
 public:
  std::string_view name() const override { return "fuse-pad-into-conv"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
