// Conv's attributes and the geometry they give for one input shape, shared by the kernels of
// Conv and FusedConv (reference and optimized).
//
// Output position o of a spatial axis reads input positions o * stride - pad_begin + t * dilation
// for kernel taps t; out = (in + pad_begin + pad_end - extent) / stride + 1 with
// extent = (kernel - 1) * dilation + 1. auto_pad SAME_* pads so that out = ceil(in / stride), the
// odd element at the end (SAME_UPPER) or the beginning (SAME_LOWER).
#pragma once

#include <string>
#include <vector>

#include "ir/node.h"
#include "ir/status.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime {

struct ConvAttributes {
  std::string auto_pad = "NOTSET";
  std::vector<int64_t> kernel_shape, strides, pads, dilations;  // empty when absent
  int64_t group = 1;

  // Reads and validates the attributes of a Conv-like node.
  static Result<ConvAttributes> Read(const Node& node);
};

struct ConvGeometry {
  int64_t batch = 0, channels = 0, out_channels = 0, group = 1;
  std::vector<int64_t> in, kernel, stride, dilation, pad_begin, pad_end, out;  // per spatial axis
  Shape outputShape() const;
};

// Checks X [N, C, D1..Dr] and W [M, C/group, k1..kr] against each other and the attributes, and
// resolves strides, dilations and pads.
Result<ConvGeometry> ResolveConvGeometry(const ConvAttributes& attributes, const Shape& x, const Shape& w);

}  // namespace onnxkit::runtime
