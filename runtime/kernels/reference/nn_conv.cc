// Convolution and pooling kernels: Conv, ConvTranspose, MaxPool, AveragePool, LpPool, their global
// forms, MaxUnpool and MaxRoiPool.
//
// Tensors are [N, C, D1, ..., Dn]. The geometry of one spatial axis: a kernel of k taps with
// dilation d covers dk = (k - 1) * d + 1 elements; output position o of a convolution or pooling
// window reads input positions o * stride - pad_begin + t * d for taps t = 0..k-1.
//
// All the windowed ops run the same loop (TapMap below): for each kernel tap, for each row of the
// "source" plane, a contiguous range of the last axis where the tap lands inside the "target"
// plane. Conv and the pools gather (source = output, target = input); ConvTranspose scatters
// (source = input, target = output) with the same arithmetic. Sums accumulate in double.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// ---------------------------------------------------------------------------------------------
// Attributes and output geometry

enum class AutoPad { kNotSet, kSameUpper, kSameLower, kValid };

Result<AutoPad> ParseAutoPad(const Node& node) {
  std::string value = node.getString("auto_pad", "NOTSET");
  if (value == "NOTSET" || value.empty()) return AutoPad::kNotSet;
  if (value == "SAME_UPPER") return AutoPad::kSameUpper;
  if (value == "SAME_LOWER") return AutoPad::kSameLower;
  if (value == "VALID") return AutoPad::kValid;
  return Status::Error("auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '{}'", value);
}

// The windowing attributes shared by Conv, ConvTranspose and the pools, as written on the node
// (empty vectors for absent attributes; their defaults depend on the spatial rank).
struct WindowAttributes {
  AutoPad auto_pad = AutoPad::kNotSet;
  std::vector<int64_t> kernel_shape, strides, pads, dilations;
  bool ceil_mode = false;

  Status read(const Node& node, bool with_dilations, bool with_ceil_mode) {
    ONNXKIT_ASSIGN_OR_RETURN(auto_pad, ParseAutoPad(node));
    kernel_shape = node.getInts("kernel_shape").value_or(std::vector<int64_t>{});
    strides = node.getInts("strides").value_or(std::vector<int64_t>{});
    pads = node.getInts("pads").value_or(std::vector<int64_t>{});
    if (with_dilations) dilations = node.getInts("dilations").value_or(std::vector<int64_t>{});
    if (with_ceil_mode) {
      int64_t ceil = node.getInt("ceil_mode", 0);
      if (ceil != 0 && ceil != 1) return Status::Error("ceil_mode must be 0 or 1, got {}", ceil);
      ceil_mode = ceil == 1;
    }
    for (int64_t k : kernel_shape)
      if (k < 1) return Status::Error("kernel_shape values must be positive, got [{}]", ShapeToString(kernel_shape));
    for (int64_t s : strides)
      if (s < 1) return Status::Error("strides must be positive, got [{}]", ShapeToString(strides));
    for (int64_t d : dilations)
      if (d < 1) return Status::Error("dilations must be positive, got [{}]", ShapeToString(dilations));
    for (int64_t p : pads)
      if (p < 0) return Status::Error("pads must not be negative, got [{}]", ShapeToString(pads));
    return Status::Ok();
  }
};

// Floor and ceiling of a / b for b > 0.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && a < 0 ? 1 : 0); }
int64_t CeilDiv(int64_t a, int64_t b) { return a / b + (a % b != 0 && a > 0 ? 1 : 0); }

// Geometry of one windowed op over r spatial axes.
struct Window {
  std::vector<int64_t> in, kernel, stride, dilation, pad_begin, pad_end, out;
  size_t rank() const { return in.size(); }
};

// int64 arithmetic that remembers overflow: attributes are arbitrary 64-bit values, and the
// window arithmetic must not overflow (the kernels index memory with it).
struct Checked {
  bool overflow = false;
  int64_t add(int64_t a, int64_t b) {
    int64_t r = 0;
    overflow |= __builtin_add_overflow(a, b, &r);
    return r;
  }
  int64_t mul(int64_t a, int64_t b) {
    int64_t r = 0;
    overflow |= __builtin_mul_overflow(a, b, &r);
    return r;
  }
  Status status(size_t axis) const {
    if (overflow) return Status::Error("the window attributes are too large on spatial axis {}", axis);
    return Status::Ok();
  }
};

// (kernel - 1) * dilation + 1: the extent of a dilated kernel.
int64_t DilatedKernel(Checked& checked, const Window& window, size_t i) {
  return checked.add(checked.mul(window.kernel[i] - 1, window.dilation[i]), 1);
}

// Fills stride, dilation and explicit pads of `window` (whose in and kernel are set) from the
// attributes, checking their lengths.
Status FillStridesAndPads(const WindowAttributes& attrs, Window& window) {
  size_t r = window.rank();
  if (!attrs.strides.empty() && attrs.strides.size() != r)
    return Status::Error("strides has {} values but the input has {} spatial axes", attrs.strides.size(), r);
  if (!attrs.dilations.empty() && attrs.dilations.size() != r)
    return Status::Error("dilations has {} values but the input has {} spatial axes", attrs.dilations.size(), r);
  if (!attrs.pads.empty() && attrs.pads.size() != 2 * r)
    return Status::Error("pads has {} values but must have 2 per spatial axis ({})", attrs.pads.size(), 2 * r);
  window.stride = attrs.strides.empty() ? std::vector<int64_t>(r, 1) : attrs.strides;
  window.dilation = attrs.dilations.empty() ? std::vector<int64_t>(r, 1) : attrs.dilations;
  window.pad_begin.assign(r, 0);
  window.pad_end.assign(r, 0);
  if (attrs.auto_pad == AutoPad::kNotSet && !attrs.pads.empty()) {
    for (size_t i = 0; i < r; ++i) {
      window.pad_begin[i] = attrs.pads[i];
      window.pad_end[i] = attrs.pads[i + r];
    }
  }
  return Status::Ok();
}

// Output size of a convolution or pooling window (in, kernel set): applies auto_pad, then
// out = floor_or_ceil((in + pads - dk) / stride) + 1. In ceil mode the last window must start
// inside the input or its leading padding (as PyTorch and current ONNX define it).
Status ComputeForwardOutput(const WindowAttributes& attrs, Window& window) {
  ONNXKIT_RETURN_IF_ERROR(FillStridesAndPads(attrs, window));
  for (size_t i = 0; i < window.rank(); ++i) {
    Checked checked;
    int64_t in = window.in[i], s = window.stride[i], dk = DilatedKernel(checked, window, i);
    ONNXKIT_RETURN_IF_ERROR(checked.status(i));
    if (attrs.auto_pad == AutoPad::kSameUpper || attrs.auto_pad == AutoPad::kSameLower) {
      int64_t out = CeilDiv(in, s);
      int64_t total = std::max<int64_t>(0, checked.add(checked.mul(std::max<int64_t>(out - 1, 0), s), dk) - in);
      ONNXKIT_RETURN_IF_ERROR(checked.status(i));
      int64_t small = total / 2, big = total - small;
      window.pad_begin[i] = attrs.auto_pad == AutoPad::kSameUpper ? small : big;
      window.pad_end[i] = attrs.auto_pad == AutoPad::kSameUpper ? big : small;
    }
    // Headroom: every position the kernels compute stays below in + pads + stride + dk.
    checked.add(checked.add(checked.add(checked.add(in, window.pad_begin[i]), window.pad_end[i]), s), dk);
    ONNXKIT_RETURN_IF_ERROR(checked.status(i));
    int64_t span = in + window.pad_begin[i] + window.pad_end[i] - dk;
    if (span < 0)
      return Status::Error(
          "the kernel (size {} with dilation {}) is larger than the padded input (size {}) on spatial axis {}",
          window.kernel[i], window.dilation[i], in + window.pad_begin[i] + window.pad_end[i], i);
    int64_t out = (attrs.ceil_mode ? (span + s - 1) / s : span / s) + 1;
    if (attrs.ceil_mode && (out - 1) * s >= in + window.pad_begin[i]) --out;
    window.out.push_back(out);
  }
  return Status::Ok();
}

// Spatial dimensions of a tensor [N, C, D1, ..., Dn].
std::vector<int64_t> SpatialDims(const Tensor& x) {
  return std::vector<int64_t>(x.shape().begin() + 2, x.shape().end());
}

Status CheckSpatialInput(const Tensor& x, std::string_view what) {
  if (x.rank() < 3)
    return Status::Error("{} must have shape [N, C, D1, ...] with at least one spatial axis, got [{}]", what,
                         ShapeToString(x.shape()));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// TapMap: on axis i, source position p and kernel tap t meet target position
// p * stride - pad_begin + t * dilation. Only the taps that reach the target from some source
// position are visited, so that a huge kernel over mostly padding (a pooling attribute) costs no
// more than the taps that touch data.

class TapMap {
 public:
  TapMap(std::vector<int64_t> source, std::vector<int64_t> target, const Window& window)
      : source_(std::move(source)),
        target_(std::move(target)),
        stride_(window.stride),
        dilation_(window.dilation),
        pad_(window.pad_begin) {
    size_t r = source_.size();
    target_strides_ = Strides(target_);
    kernel_strides_ = Strides(window.kernel);
    taps_.resize(r);
    for (size_t i = 0; i < r; ++i) {
      // Per source position the taps landing inside the target form an interval; keep their union.
      std::vector<std::pair<int64_t, int64_t>> intervals;
      for (int64_t p = 0; p < source_[i]; ++p) {
        int64_t base = p * stride_[i] - pad_[i];
        int64_t lo = std::max<int64_t>(0, CeilDiv(-base, dilation_[i]));
        int64_t hi = std::min<int64_t>(window.kernel[i] - 1, FloorDiv(target_[i] - 1 - base, dilation_[i]));
        if (lo <= hi) intervals.emplace_back(lo, hi);
      }
      std::sort(intervals.begin(), intervals.end());
      int64_t next = 0;  // first tap not yet listed
      for (auto [lo, hi] : intervals) {
        for (int64_t t = std::max(lo, next); t <= hi; ++t) taps_[i].push_back(t);
        next = std::max(next, hi + 1);
      }
    }
    // Last axis: per listed tap, the source range [lo, hi) landing inside the target.
    size_t l = r - 1;
    int64_t s = stride_[l];
    for (int64_t t : taps_[l]) {
      int64_t offset = t * dilation_[l] - pad_[l];  // target = p * s + offset
      int64_t lo = std::max<int64_t>(0, CeilDiv(-offset, s));
      int64_t hi = std::min(source_[l], FloorDiv(target_[l] - 1 - offset, s) + 1);
      last_.push_back({lo, std::max(lo, hi), offset});
    }
  }

  int64_t lastStride() const { return stride_.back(); }

  // Calls visit(tap, source_row, target_row, lo, hi): for p in [lo, hi) the source element
  // source_row + p meets the target element target_row + p * lastStride() under kernel tap `tap`
  // (flat, row-major over kernel_shape). Taps are visited in row-major order.
  template <typename Visit>
  void forEach(Visit&& visit) const {
    size_t r = source_.size();
    size_t lead = r - 1;
    for (const auto& taps : taps_)
      if (taps.empty()) return;
    int64_t rows = ProductOf(source_, 0, lead);
    int64_t row_length = source_.back();
    std::vector<size_t> tap(r, 0);
    std::vector<int64_t> row(lead, 0);
    for (;;) {
      int64_t flat_tap = 0;
      for (size_t i = 0; i < r; ++i) flat_tap += taps_[i][tap[i]] * kernel_strides_[i];
      const Range& range = last_[tap[lead]];
      if (range.hi > range.lo) {
        std::fill(row.begin(), row.end(), 0);
        for (int64_t row_index = 0; row_index < rows; ++row_index) {
          int64_t target_row = range.offset;
          bool inside = true;
          for (size_t i = 0; i < lead; ++i) {
            int64_t q = row[i] * stride_[i] - pad_[i] + taps_[i][tap[i]] * dilation_[i];
            if (q < 0 || q >= target_[i]) {
              inside = false;
              break;
            }
            target_row += q * target_strides_[i];
          }
          if (inside) visit(flat_tap, row_index * row_length, target_row, range.lo, range.hi);
          for (size_t i = lead; i-- > 0;) {
            if (++row[i] < source_[i]) break;
            row[i] = 0;
          }
        }
      }
      size_t i = r;
      while (i-- > 0) {
        if (++tap[i] < taps_[i].size()) break;
        tap[i] = 0;
      }
      if (i == static_cast<size_t>(-1)) return;
    }
  }

 private:
  struct Range {
    int64_t lo, hi, offset;
  };
  std::vector<int64_t> source_, target_, stride_, dilation_, pad_, target_strides_, kernel_strides_;
  std::vector<std::vector<int64_t>> taps_;  // per axis, the taps that reach the target, ascending
  std::vector<Range> last_;
};

// ---------------------------------------------------------------------------------------------
// Conv

Status CheckBias(const Tensor* b, const Tensor& x, int64_t channels) {
  if (!b) return Status::Ok();
  if (b->dtype() != x.dtype())
    return Status::Error("input 2 (B) has type {} but X has type {}", DataTypeName(b->dtype()),
                         DataTypeName(x.dtype()));
  if (b->rank() != 1 || b->dim(0) != channels)
    return Status::Error("input 2 (B) must have shape [{}], got [{}]", channels, ShapeToString(b->shape()));
  return Status::Ok();
}

Status CheckKernelShape(const WindowAttributes& attrs, const Tensor& w) {
  if (attrs.kernel_shape.empty()) return Status::Ok();
  std::vector<int64_t> from_w = SpatialDims(w);
  if (attrs.kernel_shape != from_w)
    return Status::Error("kernel_shape [{}] does not match the spatial dimensions [{}] of W",
                         ShapeToString(attrs.kernel_shape), ShapeToString(from_w));
  return Status::Ok();
}

class Conv : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_RETURN_IF_ERROR(attrs_.read(info.node, /*with_dilations=*/true, /*with_ceil_mode=*/false));
    group_ = info.node.getInt("group", 1);
    if (group_ < 1) return Status::Error("group must be positive, got {}", group_);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* w, context.requiredInput(1));
    const Tensor* b = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(CheckSpatialInput(*x, "input 0 (X)"));
    if (w->dtype() != x->dtype())
      return Status::Error("input 1 (W) has type {} but X has type {}", DataTypeName(w->dtype()),
                           DataTypeName(x->dtype()));
    if (w->rank() != x->rank())
      return Status::Error("W of shape [{}] must have the rank of X [{}]", ShapeToString(w->shape()),
                           ShapeToString(x->shape()));
    int64_t batch = x->dim(0), channels = x->dim(1), out_channels = w->dim(0);
    if (channels % group_ != 0 || out_channels % group_ != 0)
      return Status::Error("group {} does not divide the input channels {} and output channels {}", group_, channels,
                           out_channels);
    if (w->dim(1) != channels / group_)
      return Status::Error("W has shape [{}] but must have {} input channels per group (X has {} channels, group {})",
                           ShapeToString(w->shape()), channels / group_, channels, group_);
    ONNXKIT_RETURN_IF_ERROR(CheckKernelShape(attrs_, *w));
    ONNXKIT_RETURN_IF_ERROR(CheckBias(b, *x, out_channels));
    Window window;
    window.in = SpatialDims(*x);
    window.kernel = SpatialDims(*w);
    for (int64_t k : window.kernel)
      if (k < 1) return Status::Error("W has an empty kernel: shape [{}]", ShapeToString(w->shape()));
    ONNXKIT_RETURN_IF_ERROR(ComputeForwardOutput(attrs_, window));
    Shape out_shape = {batch, out_channels};
    out_shape.insert(out_shape.end(), window.out.begin(), window.out.end());
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    return DispatchFloat(x->dtype(), "Conv", [&]<typename T>() -> Status {
      Compute<T>(*x, *w, b, window, *y);
      return Status::Ok();
    });
  }

 private:
  template <typename T>
  void Compute(const Tensor& x, const Tensor& w, const Tensor* b, const Window& window, Tensor& y) const {
    int64_t batch = x.dim(0), channels = x.dim(1), out_channels = w.dim(0);
    int64_t group_in = channels / group_, group_out = out_channels / group_;
    int64_t in_plane = ProductOf(window.in, 0, window.rank());
    int64_t out_plane = ProductOf(window.out, 0, window.rank());
    TapMap map(window.out, window.in, window);
    int64_t taps = ProductOf(window.kernel, 0, window.rank()), s = map.lastStride();
    const T* px = x.data<T>();
    const T* pw = w.data<T>();
    T* py = y.mutableData<T>();
    std::vector<double> acc(static_cast<size_t>(out_plane));
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t m = 0; m < out_channels; ++m) {
        int64_t g = m / group_out;
        double bias = b ? static_cast<double>(ToCompute(b->data<T>()[m])) : 0.0;
        std::fill(acc.begin(), acc.end(), bias);
        for (int64_t c = 0; c < group_in; ++c) {
          const T* x_plane = px + (n * channels + g * group_in + c) * in_plane;
          const T* kernel = pw + (m * group_in + c) * taps;
          map.forEach([&](int64_t tap, int64_t out_row, int64_t in_row, int64_t lo, int64_t hi) {
            double weight = static_cast<double>(ToCompute(kernel[tap]));
            double* a = acc.data() + out_row;
            const T* in = x_plane + in_row;
            for (int64_t p = lo; p < hi; ++p) a[p] += weight * static_cast<double>(ToCompute(in[p * s]));
          });
        }
        T* y_plane = py + (n * out_channels + m) * out_plane;
        for (int64_t i = 0; i < out_plane; ++i) y_plane[i] = FromCompute<T>(static_cast<ComputeType<T>>(acc[i]));
      }
    }
  }

  WindowAttributes attrs_;
  int64_t group_ = 1;
};

// ---------------------------------------------------------------------------------------------
// ConvTranspose: the adjoint of Conv. Input position p with tap t adds to output position
// p * stride - pad_begin + t * dilation.

class ConvTranspose : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    opset_ = info.opset;
    ONNXKIT_RETURN_IF_ERROR(attrs_.read(info.node, /*with_dilations=*/true, /*with_ceil_mode=*/false));
    group_ = info.node.getInt("group", 1);
    if (group_ < 1) return Status::Error("group must be positive, got {}", group_);
    output_padding_ = info.node.getInts("output_padding").value_or(std::vector<int64_t>{});
    output_shape_ = info.node.getInts("output_shape").value_or(std::vector<int64_t>{});
    for (int64_t v : output_padding_)
      if (v < 0) return Status::Error("output_padding must not be negative, got [{}]", ShapeToString(output_padding_));
    for (int64_t v : output_shape_)
      if (v < 0) return Status::Error("output_shape must not be negative, got [{}]", ShapeToString(output_shape_));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* w, context.requiredInput(1));
    const Tensor* b = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(CheckSpatialInput(*x, "input 0 (X)"));
    if (w->dtype() != x->dtype())
      return Status::Error("input 1 (W) has type {} but X has type {}", DataTypeName(w->dtype()),
                           DataTypeName(x->dtype()));
    if (w->rank() != x->rank())
      return Status::Error("W of shape [{}] must have the rank of X [{}]", ShapeToString(w->shape()),
                           ShapeToString(x->shape()));
    int64_t batch = x->dim(0), channels = x->dim(1);
    if (channels % group_ != 0)
      return Status::Error("group {} does not divide the input channels {}", group_, channels);
    if (w->dim(0) != channels)
      return Status::Error("W has shape [{}] but its first dimension must be the {} input channels",
                           ShapeToString(w->shape()), channels);
    int64_t out_channels = 0;
    if (__builtin_mul_overflow(w->dim(1), group_, &out_channels))
      return Status::Error("W of shape [{}] with group {} has too many output channels", ShapeToString(w->shape()),
                           group_);
    ONNXKIT_RETURN_IF_ERROR(CheckKernelShape(attrs_, *w));
    ONNXKIT_RETURN_IF_ERROR(CheckBias(b, *x, out_channels));
    Window window;
    window.in = SpatialDims(*x);
    window.kernel = SpatialDims(*w);
    for (int64_t k : window.kernel)
      if (k < 1) return Status::Error("W has an empty kernel: shape [{}]", ShapeToString(w->shape()));
    ONNXKIT_RETURN_IF_ERROR(ComputeOutput(window));
    Shape out_shape = {batch, out_channels};
    out_shape.insert(out_shape.end(), window.out.begin(), window.out.end());
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    return DispatchFloat(x->dtype(), "ConvTranspose", [&]<typename T>() -> Status {
      Compute<T>(*x, *w, b, window, *y);
      return Status::Ok();
    });
  }

 private:
  // Output size and pads. Explicit: out = stride * (in - 1) + output_padding + dk - pads.
  // With output_shape (or SAME_*, where output_shape = in * stride) the pads come from
  // total = stride * (in - 1) + output_padding + dk - out, split by the formulas of the opset:
  // from opset 11 pads_begin = floor(total / 2) for SAME_UPPER and total - floor(total / 2)
  // otherwise; before opset 11 pads_begin = total / 2 (truncated) except for SAME_UPPER, where it
  // is total - total / 2. The computed pads may be negative (the output then extends beyond what
  // the kernel reaches, holding only the bias).
  Status ComputeOutput(Window& window) const {
    ONNXKIT_RETURN_IF_ERROR(FillStridesAndPads(attrs_, window));
    size_t r = window.rank();
    if (!output_padding_.empty() && output_padding_.size() != r)
      return Status::Error("output_padding has {} values but the input has {} spatial axes", output_padding_.size(), r);
    std::vector<int64_t> requested;
    if (!output_shape_.empty()) {
      if (output_shape_.size() == r) requested = output_shape_;
      else if (output_shape_.size() == r + 2) requested.assign(output_shape_.begin() + 2, output_shape_.end());
      else
        return Status::Error("output_shape has {} values but the input has {} spatial axes", output_shape_.size(), r);
    }
    bool same = attrs_.auto_pad == AutoPad::kSameUpper || attrs_.auto_pad == AutoPad::kSameLower;
    for (size_t i = 0; i < r; ++i) {
      Checked checked;
      int64_t in = window.in[i], s = window.stride[i], dk = DilatedKernel(checked, window, i);
      int64_t adj = output_padding_.empty() ? 0 : output_padding_[i];
      int64_t full = in == 0 ? 0 : checked.add(checked.add(checked.mul(s, in - 1), adj), dk);
      if (same) checked.mul(in, s);
      // Headroom for the output positions the kernel computes (pads may be as large as full or the
      // requested output size).
      checked.add(checked.add(checked.add(full, full), requested.empty() ? 0 : requested[i]), s);
      checked.add(checked.add(full, window.pad_begin[i]), window.pad_end[i]);
      ONNXKIT_RETURN_IF_ERROR(checked.status(i));
      int64_t out;
      if (!requested.empty() || same) {
        out = !requested.empty() ? requested[i] : in * s;
        int64_t total = full - out;
        if (opset_ >= 11) {
          // half = floor(total / 2) (the ONNX reference's integer division, also for negative totals).
          int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
          bool upper = attrs_.auto_pad == AutoPad::kSameUpper;
          window.pad_begin[i] = upper ? half : total - half;
          window.pad_end[i] = upper ? total - half : half;
        } else {
          int64_t half = total / 2;
          bool upper = attrs_.auto_pad == AutoPad::kSameUpper;
          window.pad_begin[i] = upper ? total - half : half;
          window.pad_end[i] = upper ? half : total - half;
        }
      } else {
        out = full - window.pad_begin[i] - window.pad_end[i];
        if (out < 0)
          return Status::Error("pads [{}] remove more than the full output size {} on spatial axis {}",
                               ShapeToString(attrs_.pads), full, i);
      }
      window.out.push_back(out);
    }
    return Status::Ok();
  }

  template <typename T>
  void Compute(const Tensor& x, const Tensor& w, const Tensor* b, const Window& window, Tensor& y) const {
    int64_t batch = x.dim(0), channels = x.dim(1);
    int64_t group_in = channels / group_, group_out = w.dim(1), out_channels = group_out * group_;
    int64_t in_plane = ProductOf(window.in, 0, window.rank());
    int64_t out_plane = ProductOf(window.out, 0, window.rank());
    TapMap map(window.in, window.out, window);
    int64_t taps = ProductOf(window.kernel, 0, window.rank()), s = map.lastStride();
    const T* px = x.data<T>();
    const T* pw = w.data<T>();
    T* py = y.mutableData<T>();
    std::vector<double> acc(static_cast<size_t>(out_plane));
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t m = 0; m < out_channels; ++m) {
        int64_t g = m / group_out, m_in_group = m % group_out;
        double bias = b ? static_cast<double>(ToCompute(b->data<T>()[m])) : 0.0;
        std::fill(acc.begin(), acc.end(), bias);
        for (int64_t c = 0; c < group_in; ++c) {
          int64_t input_channel = g * group_in + c;
          const T* x_plane = px + (n * channels + input_channel) * in_plane;
          const T* kernel = pw + (input_channel * group_out + m_in_group) * taps;
          map.forEach([&](int64_t tap, int64_t in_row, int64_t out_row, int64_t lo, int64_t hi) {
            double weight = static_cast<double>(ToCompute(kernel[tap]));
            double* a = acc.data() + out_row;
            const T* in = x_plane + in_row;
            for (int64_t p = lo; p < hi; ++p) a[p * s] += weight * static_cast<double>(ToCompute(in[p]));
          });
        }
        T* y_plane = py + (n * out_channels + m) * out_plane;
        for (int64_t i = 0; i < out_plane; ++i) y_plane[i] = FromCompute<T>(static_cast<ComputeType<T>>(acc[i]));
      }
    }
  }

  int64_t opset_ = 0;
  WindowAttributes attrs_;
  int64_t group_ = 1;
  std::vector<int64_t> output_padding_, output_shape_;
};

// ---------------------------------------------------------------------------------------------
// Pooling

enum class PoolKind { kMax, kAverage, kLp };

// LpPool/GlobalLpPool: p is a float in version 1 and an int from version 2.
Result<double> ReadP(const Node& node, int64_t opset) {
  const Attribute* attr = node.attribute("p");
  double p = 2.0;
  if (attr) p = attr->type() == onnx::AttributeProto::FLOAT ? attr->f() : static_cast<double>(attr->i());
  if (!(p > 0) || !std::isfinite(p)) return Status::Error("p must be positive, got {}", p);
  if (opset >= 2 && p != std::floor(p)) return Status::Error("p must be an integer, got {}", p);
  return p;
}

double LpTerm(double v, double p) {
  double a = std::fabs(v);
  if (p == 1.0) return a;
  if (p == 2.0) return a * a;
  return std::pow(a, p);
}

double LpRoot(double sum, double p) {
  if (p == 1.0) return sum;
  if (p == 2.0) return std::sqrt(sum);
  return std::pow(sum, 1.0 / p);
}

// The max pools' comparison: NaNs are skipped unless every element is NaN (as numpy's nanmax).
template <typename C>
bool Greater(C v, C best) {
  if constexpr (std::is_floating_point_v<C>) {
    if (std::isnan(best)) return !std::isnan(v);
  }
  return v > best;
}

// MaxPool, AveragePool and LpPool; which attributes exist depends on the op and opset.
class Pool : public Kernel {
 public:
  explicit Pool(PoolKind kind) : kind_(kind) {}

  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    int64_t opset = info.opset;
    bool dilations = false, ceil_mode = false;
    switch (kind_) {
      case PoolKind::kMax:
        dilations = ceil_mode = opset >= 10;
        if (opset >= 8) {
          storage_order_ = node.getInt("storage_order", 0);
          if (storage_order_ != 0 && storage_order_ != 1)
            return Status::Error("storage_order must be 0 or 1, got {}", storage_order_);
        }
        break;
      case PoolKind::kAverage:
        ceil_mode = opset >= 10;
        dilations = opset >= 19;
        if (opset >= 7) {
          int64_t include = node.getInt("count_include_pad", 0);
          if (include != 0 && include != 1) return Status::Error("count_include_pad must be 0 or 1, got {}", include);
          count_include_pad_ = include == 1;
        }
        break;
      case PoolKind::kLp: {
        ceil_mode = dilations = opset >= 18;
        ONNXKIT_ASSIGN_OR_RETURN(p_, ReadP(node, opset));
        break;
      }
    }
    ONNXKIT_RETURN_IF_ERROR(attrs_.read(node, dilations, ceil_mode));
    if (attrs_.kernel_shape.empty()) return Status::Error("missing required attribute 'kernel_shape'");
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_RETURN_IF_ERROR(CheckSpatialInput(*x, "input 0 (X)"));
    Window window;
    window.in = SpatialDims(*x);
    window.kernel = attrs_.kernel_shape;
    if (window.kernel.size() != window.rank())
      return Status::Error("kernel_shape has {} values but X of shape [{}] has {} spatial axes", window.kernel.size(),
                           ShapeToString(x->shape()), window.rank());
    ONNXKIT_RETURN_IF_ERROR(ComputeForwardOutput(attrs_, window));
    Shape out_shape = {x->dim(0), x->dim(1)};
    out_shape.insert(out_shape.end(), window.out.begin(), window.out.end());
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    Tensor* indices = nullptr;
    if (kind_ == PoolKind::kMax && context.outputCount() > 1 && context.outputRequested(1)) {
      ONNXKIT_ASSIGN_OR_RETURN(indices, context.allocateOutput(1, DataType::kInt64, out_shape));
    }
    auto compute = [&]<typename T>() -> Status { return Compute<T>(*x, window, *y, indices); };
    if (kind_ == PoolKind::kMax)
      return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16,
                           DataType::kInt8, DataType::kUint8>(x->dtype(), "MaxPool", compute);
    return DispatchFloat(x->dtype(), kind_ == PoolKind::kAverage ? "AveragePool" : "LpPool", compute);
  }

 private:
  template <typename T>
  Status Compute(const Tensor& x, const Window& window, Tensor& y, Tensor* indices) const {
    int64_t planes = x.dim(0) * x.dim(1);
    int64_t in_plane = ProductOf(window.in, 0, window.rank());
    int64_t out_plane = ProductOf(window.out, 0, window.rank());
    TapMap map(window.out, window.in, window);
    int64_t s = map.lastStride();
    const T* px = x.data<T>();
    T* py = y.mutableData<T>();
    // Elements per window: of the input (count) and of the padded input (for count_include_pad).
    // Both are the same for every plane.
    std::vector<int64_t> count(static_cast<size_t>(out_plane), 0);
    map.forEach([&](int64_t, int64_t out_row, int64_t, int64_t lo, int64_t hi) {
      for (int64_t p = lo; p < hi; ++p) ++count[out_row + p];
    });
    std::vector<int64_t> divisor = count;
    if (kind_ == PoolKind::kAverage && count_include_pad_) {
      // The padded input, as a target with no padding: the same taps, shifted by pad_begin.
      Window padded = window;
      std::vector<int64_t> padded_in(window.rank());
      for (size_t i = 0; i < window.rank(); ++i) {
        padded_in[i] = window.in[i] + window.pad_begin[i] + window.pad_end[i];
        padded.pad_begin[i] = 0;
      }
      std::fill(divisor.begin(), divisor.end(), 0);
      TapMap(window.out, padded_in, padded).forEach([&](int64_t, int64_t out_row, int64_t, int64_t lo, int64_t hi) {
        for (int64_t p = lo; p < hi; ++p) ++divisor[out_row + p];
      });
    }
    if (kind_ == PoolKind::kMax || (kind_ == PoolKind::kAverage && !count_include_pad_)) {
      for (int64_t i = 0; i < out_plane; ++i)
        if (count[i] == 0)
          return Status::Error("a pooling window lies entirely in the padding (pads [{}] with kernel_shape [{}])",
                               ShapeToString(attrs_.pads), ShapeToString(window.kernel));
    }

    if (kind_ == PoolKind::kMax) {
      using C = ComputeType<T>;
      std::vector<C> best(static_cast<size_t>(out_plane));
      std::vector<int64_t> where(static_cast<size_t>(out_plane));
      for (int64_t plane = 0; plane < planes; ++plane) {
        const T* x_plane = px + plane * in_plane;
        std::fill(where.begin(), where.end(), -1);
        map.forEach([&](int64_t, int64_t out_row, int64_t in_row, int64_t lo, int64_t hi) {
          for (int64_t p = lo; p < hi; ++p) {
            int64_t at = in_row + p * s;
            C v = ToCompute(x_plane[at]);
            int64_t o = out_row + p;
            // The first maximum in tap order wins.
            if (where[o] < 0 || Greater(v, best[o])) {
              best[o] = v;
              where[o] = at;
            }
          }
        });
        T* y_plane = py + plane * out_plane;
        for (int64_t i = 0; i < out_plane; ++i) y_plane[i] = FromCompute<T>(best[i]);
        if (indices) {
          int64_t* out_index = indices->mutableData<int64_t>() + plane * out_plane;
          for (int64_t i = 0; i < out_plane; ++i) out_index[i] = plane * in_plane + SpatialIndex(where[i], window.in);
        }
      }
      return Status::Ok();
    }

    std::vector<double> acc(static_cast<size_t>(out_plane));
    double p_norm = p_;
    for (int64_t plane = 0; plane < planes; ++plane) {
      const T* x_plane = px + plane * in_plane;
      std::fill(acc.begin(), acc.end(), 0.0);
      map.forEach([&](int64_t, int64_t out_row, int64_t in_row, int64_t lo, int64_t hi) {
        double* a = acc.data() + out_row;
        const T* in = x_plane + in_row;
        if (kind_ == PoolKind::kAverage) {
          for (int64_t p = lo; p < hi; ++p) a[p] += static_cast<double>(ToCompute(in[p * s]));
        } else {
          for (int64_t p = lo; p < hi; ++p) a[p] += LpTerm(static_cast<double>(ToCompute(in[p * s])), p_norm);
        }
      });
      T* y_plane = py + plane * out_plane;
      for (int64_t i = 0; i < out_plane; ++i) {
        double v = kind_ == PoolKind::kAverage ? acc[i] / static_cast<double>(divisor[i]) : LpRoot(acc[i], p_norm);
        y_plane[i] = FromCompute<T>(static_cast<ComputeType<T>>(v));
      }
    }
    return Status::Ok();
  }

  // MaxPool's Indices: the row-major offset within the plane, or with storage_order=1 the
  // column-major one (the first spatial axis varies fastest).
  int64_t SpatialIndex(int64_t row_major, const std::vector<int64_t>& dims) const {
    if (storage_order_ == 0) return row_major;
    int64_t index = 0, stride = 1;
    std::vector<int64_t> coords(dims.size());
    for (size_t i = dims.size(); i-- > 0;) {
      coords[i] = row_major % dims[i];
      row_major /= dims[i];
    }
    for (size_t i = 0; i < dims.size(); ++i) {
      index += coords[i] * stride;
      stride *= dims[i];
    }
    return index;
  }

 private:
  PoolKind kind_;
  WindowAttributes attrs_;
  int64_t storage_order_ = 0;
  bool count_include_pad_ = false;
  double p_ = 2.0;
};

template <PoolKind kind>
Result<std::unique_ptr<Kernel>> CreatePool(const KernelInfo& info) {
  auto kernel = std::make_unique<Pool>(kind);
  ONNXKIT_RETURN_IF_ERROR(kernel->prepare(info));
  return std::unique_ptr<Kernel>(std::move(kernel));
}

// GlobalAveragePool, GlobalMaxPool, GlobalLpPool: one window over all spatial axes.
class GlobalPool : public Kernel {
 public:
  explicit GlobalPool(PoolKind kind) : kind_(kind) {}

  Status prepare(const KernelInfo& info) {
    if (kind_ == PoolKind::kLp) {
      ONNXKIT_ASSIGN_OR_RETURN(p_, ReadP(info.node, info.opset));
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    if (x->rank() < 2)
      return Status::Error("input 0 (X) must have shape [N, C, ...], got [{}]", ShapeToString(x->shape()));
    Shape out_shape = x->shape();
    std::fill(out_shape.begin() + 2, out_shape.end(), 1);
    int64_t planes = x->dim(0) * x->dim(1);
    int64_t plane = ProductOf(x->shape(), 2, x->rank());
    if (plane == 0 && planes > 0)
      return Status::Error("input 0 (X) of shape [{}] has no spatial elements to pool", ShapeToString(x->shape()));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    const char* op = kind_ == PoolKind::kMax       ? "GlobalMaxPool"
                     : kind_ == PoolKind::kAverage ? "GlobalAveragePool"
                                                   : "GlobalLpPool";
    return DispatchFloat(x->dtype(), op, [&]<typename T>() -> Status {
      const T* px = x->data<T>();
      T* py = y->mutableData<T>();
      for (int64_t i = 0; i < planes; ++i) {
        const T* values = px + i * plane;
        if (kind_ == PoolKind::kMax) {
          ComputeType<T> best = ToCompute(values[0]);
          for (int64_t j = 1; j < plane; ++j)
            if (Greater(ToCompute(values[j]), best)) best = ToCompute(values[j]);
          py[i] = FromCompute<T>(best);
          continue;
        }
        double sum = 0.0;
        for (int64_t j = 0; j < plane; ++j) {
          double v = static_cast<double>(ToCompute(values[j]));
          sum += kind_ == PoolKind::kAverage ? v : LpTerm(v, p_);
        }
        double result = kind_ == PoolKind::kAverage ? sum / static_cast<double>(plane) : LpRoot(sum, p_);
        py[i] = FromCompute<T>(static_cast<ComputeType<T>>(result));
      }
      return Status::Ok();
    });
  }

 private:
  PoolKind kind_;
  double p_ = 2.0;
};

template <PoolKind kind>
Result<std::unique_ptr<Kernel>> CreateGlobalPool(const KernelInfo& info) {
  auto kernel = std::make_unique<GlobalPool>(kind);
  ONNXKIT_RETURN_IF_ERROR(kernel->prepare(info));
  return std::unique_ptr<Kernel>(std::move(kernel));
}

// ---------------------------------------------------------------------------------------------
// MaxUnpool: Y (zeros) of the size MaxPool's input had; Y.flat[I[j]] = X.flat[j]. The indices are
// flat offsets into the default output shape [N, C, (in - 1) * stride - pads + kernel, ...]; an
// explicit output_shape (at least that large on every axis) keeps each element at the same
// coordinates and zero-fills the rest, as the ONNX reference implementation does.

class MaxUnpool : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_RETURN_IF_ERROR(attrs_.read(info.node, /*with_dilations=*/false, /*with_ceil_mode=*/false));
    if (attrs_.kernel_shape.empty()) return Status::Error("missing required attribute 'kernel_shape'");
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* indices, context.requiredInput(1));
    const Tensor* output_shape = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(CheckSpatialInput(*x, "input 0 (X)"));
    if (indices->dtype() != DataType::kInt64)
      return Status::Error("input 1 (I) must be int64, got {}", DataTypeName(indices->dtype()));
    if (indices->shape() != x->shape())
      return Status::Error("input 1 (I) of shape [{}] must have the shape of X [{}]", ShapeToString(indices->shape()),
                           ShapeToString(x->shape()));
    Window window;
    window.in = SpatialDims(*x);
    window.kernel = attrs_.kernel_shape;
    size_t r = window.rank();
    if (window.kernel.size() != r)
      return Status::Error("kernel_shape has {} values but X of shape [{}] has {} spatial axes", window.kernel.size(),
                           ShapeToString(x->shape()), r);
    ONNXKIT_RETURN_IF_ERROR(FillStridesAndPads(attrs_, window));
    Shape inferred = {x->dim(0), x->dim(1)};
    for (size_t i = 0; i < r; ++i) {
      Checked checked;
      int64_t size = checked.add(checked.mul(window.in[i] - 1, window.stride[i]), window.kernel[i]);
      checked.add(window.pad_begin[i], window.pad_end[i]);
      ONNXKIT_RETURN_IF_ERROR(checked.status(i));
      size -= window.pad_begin[i] + window.pad_end[i];
      if (window.in[i] == 0) size = 0;
      if (size < 0) return Status::Error("pads make the unpooled size negative on spatial axis {}", i);
      inferred.push_back(size);
    }
    Shape out_shape = inferred;
    if (output_shape) {
      ONNXKIT_ASSIGN_OR_RETURN(out_shape, ReadInt64s(*output_shape, "input 2 (output_shape)"));
      if (out_shape.size() != x->rank())
        return Status::Error("output_shape [{}] must have {} values (the rank of X)", ShapeToString(out_shape),
                             x->rank());
      for (size_t i = 0; i < out_shape.size(); ++i)
        if (out_shape[i] < inferred[i])
          return Status::Error("output_shape [{}] is smaller than the unpooled shape [{}]", ShapeToString(out_shape),
                               ShapeToString(inferred));
    }
    int64_t limit = ProductOf(inferred, 0, inferred.size());
    const int64_t* pi = indices->data<int64_t>();
    for (int64_t j = 0; j < indices->elementCount(); ++j)
      if (pi[j] < 0 || pi[j] >= limit)
        return Status::Error("index {} at position {} is out of range for the unpooled shape [{}]", pi[j], j,
                             ShapeToString(inferred));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    std::vector<int64_t> inferred_strides = Strides(inferred), out_strides = Strides(out_shape);
    return DispatchFloat(x->dtype(), "MaxUnpool", [&]<typename T>() -> Status {
      T* py = y->mutableData<T>();
      std::fill(py, py + y->elementCount(), FromCompute<T>(0));
      const T* px = x->data<T>();
      for (int64_t j = 0; j < x->elementCount(); ++j) {
        int64_t rest = pi[j], at = 0;
        for (size_t d = 0; d < inferred.size(); ++d) {
          at += rest / inferred_strides[d] * out_strides[d];
          rest %= inferred_strides[d];
        }
        py[at] = px[j];
      }
      return Status::Ok();
    });
  }

 private:
  WindowAttributes attrs_;
};

// ---------------------------------------------------------------------------------------------
// MaxRoiPool: max over each of pooled_shape bins of each region of interest (Fast R-CNN).
// rois rows are [batch_index, x1, y1, x2, y2] in input coordinates scaled by spatial_scale.

class MaxRoiPool : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    auto pooled = info.node.getInts("pooled_shape");
    if (!pooled) return Status::Error("missing required attribute 'pooled_shape'");
    if (pooled->size() != 2 || (*pooled)[0] < 1 || (*pooled)[1] < 1)
      return Status::Error("pooled_shape must be two positive values, got [{}]", ShapeToString(*pooled));
    pooled_h_ = (*pooled)[0];
    pooled_w_ = (*pooled)[1];
    spatial_scale_ = info.node.getFloat("spatial_scale", 1.0f);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* rois, context.requiredInput(1));
    if (x->rank() != 4)
      return Status::Error("input 0 (X) must be 4-D [N, C, H, W], got [{}]", ShapeToString(x->shape()));
    if (rois->dtype() != x->dtype())
      return Status::Error("input 1 (rois) has type {} but X has type {}", DataTypeName(rois->dtype()),
                           DataTypeName(x->dtype()));
    if (rois->rank() != 2 || rois->dim(1) != 5)
      return Status::Error("input 1 (rois) must have shape [num_rois, 5], got [{}]", ShapeToString(rois->shape()));
    int64_t batch = x->dim(0), channels = x->dim(1), height = x->dim(2), width = x->dim(3);
    int64_t num_rois = rois->dim(0);
    for (int64_t r = 0; r < num_rois; ++r) {
      double index = rois->elementAsDouble(r * 5);
      if (!(index >= 0 && index < static_cast<double>(batch)) || index != std::floor(index))
        return Status::Error("roi {} has batch index {} but the batch size is {}", r, index, batch);
    }
    Shape out_shape = {num_rois, channels, pooled_h_, pooled_w_};
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    return DispatchFloat(x->dtype(), "MaxRoiPool", [&]<typename T>() -> Status {
      const T* px = x->data<T>();
      T* py = y->mutableData<T>();
      double scale = spatial_scale_;
      for (int64_t r = 0; r < num_rois; ++r) {
        int64_t n = static_cast<int64_t>(rois->elementAsDouble(r * 5));
        // Region corners in input cells (rounded like Caffe), the region at least one cell.
        double start_w = std::round(rois->elementAsDouble(r * 5 + 1) * scale);
        double start_h = std::round(rois->elementAsDouble(r * 5 + 2) * scale);
        double end_w = std::round(rois->elementAsDouble(r * 5 + 3) * scale);
        double end_h = std::round(rois->elementAsDouble(r * 5 + 4) * scale);
        double bin_h = std::max(end_h - start_h + 1.0, 1.0) / static_cast<double>(pooled_h_);
        double bin_w = std::max(end_w - start_w + 1.0, 1.0) / static_cast<double>(pooled_w_);
        auto clamp = [](double v, int64_t size) -> int64_t {
          if (!(v > 0)) return 0;  // also NaN
          return v >= static_cast<double>(size) ? size : static_cast<int64_t>(v);
        };
        for (int64_t c = 0; c < channels; ++c) {
          const T* plane = px + (n * channels + c) * height * width;
          T* out = py + ((r * channels + c) * pooled_h_) * pooled_w_;
          for (int64_t ph = 0; ph < pooled_h_; ++ph) {
            int64_t h0 = clamp(std::floor(static_cast<double>(ph) * bin_h) + start_h, height);
            int64_t h1 = clamp(std::ceil(static_cast<double>(ph + 1) * bin_h) + start_h, height);
            for (int64_t pw = 0; pw < pooled_w_; ++pw) {
              int64_t w0 = clamp(std::floor(static_cast<double>(pw) * bin_w) + start_w, width);
              int64_t w1 = clamp(std::ceil(static_cast<double>(pw + 1) * bin_w) + start_w, width);
              ComputeType<T> best = 0;
              bool any = false;
              for (int64_t h = h0; h < h1; ++h)
                for (int64_t w = w0; w < w1; ++w) {
                  ComputeType<T> v = ToCompute(plane[h * width + w]);
                  if (!any || Greater(v, best)) best = v;
                  any = true;
                }
              out[ph * pooled_w_ + pw] = FromCompute<T>(any ? best : ComputeType<T>(0));
            }
          }
        }
      }
      return Status::Ok();
    });
  }

 private:
  int64_t pooled_h_ = 1, pooled_w_ = 1;
  float spatial_scale_ = 1.0f;
};

// ---------------------------------------------------------------------------------------------

const std::vector<DataType> kFloats = {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16};
const std::vector<DataType> kFloatsAnd8Bit = {DataType::kFloat, DataType::kDouble, DataType::kFloat16,
                                              DataType::kBfloat16, DataType::kInt8, DataType::kUint8};

const KernelRegistration kKernels[] = {
    {"", "AveragePool", 1, 6, CreatePool<PoolKind::kAverage>, kFloats},
    {"", "AveragePool", 7, 9, CreatePool<PoolKind::kAverage>, kFloats},
    {"", "AveragePool", 10, 18, CreatePool<PoolKind::kAverage>, kFloats},
    {"", "AveragePool", 19, kLatestOpset, CreatePool<PoolKind::kAverage>, kFloats},
    {"", "Conv", 1, 10, CreateKernel<Conv>, kFloats},
    {"", "Conv", 11, kLatestOpset, CreateKernel<Conv>, kFloats},
    {"", "ConvTranspose", 1, 10, CreateKernel<ConvTranspose>, kFloats},
    {"", "ConvTranspose", 11, kLatestOpset, CreateKernel<ConvTranspose>, kFloats},
    {"", "GlobalAveragePool", 1, kLatestOpset, CreateGlobalPool<PoolKind::kAverage>, kFloats},
    {"", "GlobalLpPool", 1, 1, CreateGlobalPool<PoolKind::kLp>, kFloats},
    {"", "GlobalLpPool", 2, kLatestOpset, CreateGlobalPool<PoolKind::kLp>, kFloats},
    {"", "GlobalMaxPool", 1, kLatestOpset, CreateGlobalPool<PoolKind::kMax>, kFloats},
    {"", "LpPool", 1, 1, CreatePool<PoolKind::kLp>, kFloats},
    {"", "LpPool", 2, 10, CreatePool<PoolKind::kLp>, kFloats},
    {"", "LpPool", 11, 17, CreatePool<PoolKind::kLp>, kFloats},
    {"", "LpPool", 18, kLatestOpset, CreatePool<PoolKind::kLp>, kFloats},
    {"", "MaxPool", 1, 7, CreatePool<PoolKind::kMax>, kFloats},
    {"", "MaxPool", 8, 9, CreatePool<PoolKind::kMax>, kFloats},
    {"", "MaxPool", 10, 11, CreatePool<PoolKind::kMax>, kFloats},
    {"", "MaxPool", 12, kLatestOpset, CreatePool<PoolKind::kMax>, kFloatsAnd8Bit},
    {"", "MaxRoiPool", 1, kLatestOpset, CreateKernel<MaxRoiPool>, kFloats},
    {"", "MaxUnpool", 9, 10, CreateKernel<MaxUnpool>, kFloats},
    {"", "MaxUnpool", 11, kLatestOpset, CreateKernel<MaxUnpool>, kFloats},
};

}  // namespace

std::span<const KernelRegistration> ConvolutionKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
