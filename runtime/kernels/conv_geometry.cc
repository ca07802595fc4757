#include "runtime/kernels/conv_geometry.h"

#include <algorithm>

#include "runtime/shape_util.h"

namespace onnxkit::runtime {

Result<ConvAttributes> ConvAttributes::Read(const Node& node) {
  ConvAttributes a;
  a.auto_pad = node.getString("auto_pad", "NOTSET");
  if (a.auto_pad.empty()) a.auto_pad = "NOTSET";
  if (a.auto_pad != "NOTSET" && a.auto_pad != "SAME_UPPER" && a.auto_pad != "SAME_LOWER" && a.auto_pad != "VALID")
    return Status::Error("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '{}'", a.auto_pad);
  a.kernel_shape = node.getInts("kernel_shape").value_or(std::vector<int64_t>{});
  a.strides = node.getInts("strides").value_or(std::vector<int64_t>{});
  a.pads = node.getInts("pads").value_or(std::vector<int64_t>{});
  a.dilations = node.getInts("dilations").value_or(std::vector<int64_t>{});
  a.group = node.getInt("group", 1);
  if (a.group < 1) return Status::Error("group must be positive, got {}", a.group);
  // The upper bound keeps the geometry's arithmetic far from int64 overflow on hostile values.
  constexpr int64_t kLimit = int64_t{1} << 31;
  for (int64_t s : a.strides)
    if (s < 1 || s > kLimit) return Status::Error("strides must be in [1, 2^31], got [{}]", ShapeToString(a.strides));
  for (int64_t d : a.dilations)
    if (d < 1 || d > kLimit) return Status::Error("dilations must be in [1, 2^31], got [{}]", ShapeToString(a.dilations));
  for (int64_t p : a.pads)
    if (p < 0 || p > kLimit) return Status::Error("pads must be in [0, 2^31], got [{}]", ShapeToString(a.pads));
  return a;
}

Shape ConvGeometry::outputShape() const {
  Shape shape = {batch, out_channels};
  shape.insert(shape.end(), out.begin(), out.end());
  return shape;
}

Result<ConvGeometry> ResolveConvGeometry(const ConvAttributes& a, const Shape& x, const Shape& w) {
  if (x.size() < 3)
    return Status::Error("X must have shape [N, C, D1, ...] with at least one spatial axis, got [{}]", ShapeToString(x));
  if (w.size() != x.size())
    return Status::Error("W of shape [{}] must have the rank of X [{}]", ShapeToString(w), ShapeToString(x));
  ConvGeometry g;
  size_t r = x.size() - 2;
  g.batch = x[0];
  g.channels = x[1];
  g.out_channels = w[0];
  g.group = a.group;
  if (g.channels % a.group != 0 || g.out_channels % a.group != 0 || w[1] != g.channels / a.group)
    return Status::Error("W of shape [{}] does not match X of shape [{}] with group {}", ShapeToString(w),
                         ShapeToString(x), a.group);
  g.in.assign(x.begin() + 2, x.end());
  g.kernel.assign(w.begin() + 2, w.end());
  if (!a.kernel_shape.empty() && a.kernel_shape != g.kernel)
    return Status::Error("kernel_shape [{}] does not match W's spatial dimensions [{}]", ShapeToString(a.kernel_shape),
                         ShapeToString(g.kernel));
  if ((!a.strides.empty() && a.strides.size() != r) || (!a.dilations.empty() && a.dilations.size() != r) ||
      (!a.pads.empty() && a.pads.size() != 2 * r))
    return Status::Error("strides, dilations and pads must have one (pads: two) value per spatial axis ({})", r);
  g.stride = a.strides.empty() ? std::vector<int64_t>(r, 1) : a.strides;
  g.dilation = a.dilations.empty() ? std::vector<int64_t>(r, 1) : a.dilations;
  g.pad_begin.assign(r, 0);
  g.pad_end.assign(r, 0);
  g.out.assign(r, 0);
  for (size_t i = 0; i < r; ++i) {
    if (g.kernel[i] < 1) return Status::Error("W has an empty kernel: shape [{}]", ShapeToString(w));
    int64_t extent = (g.kernel[i] - 1) * g.dilation[i] + 1;
    int64_t begin = 0, end = 0;
    if (a.auto_pad == "SAME_UPPER" || a.auto_pad == "SAME_LOWER") {
      int64_t target = (g.in[i] + g.stride[i] - 1) / g.stride[i];
      int64_t total = std::max<int64_t>(0, (target - 1) * g.stride[i] + extent - g.in[i]);
      begin = a.auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
      end = total - begin;
    } else if (a.auto_pad == "NOTSET" && !a.pads.empty()) {
      begin = a.pads[i];
      end = a.pads[i + r];
    }
    int64_t span = g.in[i] + begin + end - extent;
    if (span < 0)
      return Status::Error("the kernel (extent {}) is larger than the padded input ({}) on spatial axis {}", extent,
                           g.in[i] + begin + end, i);
    g.pad_begin[i] = begin;
    g.pad_end[i] = end;
    g.out[i] = span / g.stride[i] + 1;
  }
  return g;
}

}  // namespace onnxkit::runtime
