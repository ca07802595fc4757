// Resize and Upsample.
//
// Every output coordinate maps to an input coordinate per axis (coordinate_transformation_mode),
// then to weighted input taps: one for nearest, two for linear, four for cubic (more with
// antialias when downscaling). Taps past the border use the edge value (exclude_outside instead
// drops them and renormalizes); tf_crop_and_resize gives extrapolation_value for coordinates
// outside the input. Interpolation is separable: linear and cubic resize one axis at a time in
// double (integer results truncate toward zero and saturate); nearest is a gather and works for
// every type, strings and bools included. Details follow the ONNX reference implementation (which
// generated the backend tests): align_corners and tf_crop_and_resize divide by the unrounded
// resized length (scale * input length) when scales are given; the output length ignores the RoI.
// pytorch_half_pixel maps a length-1 output to coordinate 0 as the spec says. antialias has no
// effect on nearest.
//
// Versions: Upsample-1 (height_scale/width_scale attributes, 4-D), Upsample-7 (scales attribute),
// Upsample-9 (scales input); Resize-10 (scales input, nearest/linear). Those use the asymmetric
// transform and, for nearest, floor (ceil when downscaling). Resize-11 adds roi, sizes, cubic and
// the coordinate modes; 13 makes roi/scales optional and drops tf_half_pixel_for_nn; 18 adds
// antialias, axes and keep_aspect_ratio_policy; 19 adds half_pixel_symmetric.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

enum class Interpolation { kNearest, kLinear, kCubic };
enum class NearestMode { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil, kLegacy };
enum class Transform {
  kHalfPixel,
  kHalfPixelSymmetric,
  kPytorchHalfPixel,
  kAlignCorners,
  kAsymmetric,
  kTfHalfPixelForNn,
  kTfCropAndResize
};
enum class AspectPolicy { kStretch, kNotLarger, kNotSmaller };

// The weighted input taps of one output coordinate along one axis; `extrapolate` means the output
// is extrapolation_value.
struct Taps {
  bool extrapolate = false;
  std::vector<std::pair<int64_t, double>> taps;  // (input index, weight)
};

// Keys' cubic convolution kernel with parameter a.
double CubicKernel(double x, double a) {
  x = std::abs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

class Resize : public Kernel {
 public:
  // `upsample`: the op is Upsample (any version).
  explicit Resize(bool upsample) : upsample_(upsample) {}

  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    opset_ = info.opset;
    legacy_ = upsample_ || opset_ < 11;
    std::string mode = node.getString("mode", "nearest");
    if (mode == "nearest") interpolation_ = Interpolation::kNearest;
    else if (mode == "linear" || (upsample_ && mode == "bilinear")) interpolation_ = Interpolation::kLinear;
    else if (mode == "cubic" && !legacy_) interpolation_ = Interpolation::kCubic;
    else return Status::Error("unsupported mode '{}'", mode);

    if (upsample_ && opset_ < 7) {
      const Attribute* height = node.attribute("height_scale");
      const Attribute* width = node.attribute("width_scale");
      if (!height || !width) return Status::Error("Upsample-1 needs the height_scale and width_scale attributes");
      attribute_scales_ = std::vector<float>{1.0f, 1.0f, height->f(), width->f()};
    } else if (upsample_ && opset_ < 9) {
      auto scales = node.getFloats("scales");
      if (!scales) return Status::Error("Upsample-7 needs the scales attribute");
      attribute_scales_ = *scales;
    }
    if (legacy_) {
      transform_ = Transform::kAsymmetric;
      nearest_mode_ = NearestMode::kLegacy;
      return Status::Ok();
    }

    std::string transform = node.getString("coordinate_transformation_mode", "half_pixel");
    if (transform == "half_pixel") transform_ = Transform::kHalfPixel;
    else if (transform == "half_pixel_symmetric" && opset_ >= 19) transform_ = Transform::kHalfPixelSymmetric;
    else if (transform == "pytorch_half_pixel") transform_ = Transform::kPytorchHalfPixel;
    else if (transform == "align_corners") transform_ = Transform::kAlignCorners;
    else if (transform == "asymmetric") transform_ = Transform::kAsymmetric;
    else if (transform == "tf_half_pixel_for_nn" && opset_ < 13) transform_ = Transform::kTfHalfPixelForNn;
    else if (transform == "tf_crop_and_resize") transform_ = Transform::kTfCropAndResize;
    else return Status::Error("unsupported coordinate_transformation_mode '{}' at opset {}", transform, opset_);

    std::string nearest = node.getString("nearest_mode", "round_prefer_floor");
    if (nearest == "round_prefer_floor") nearest_mode_ = NearestMode::kRoundPreferFloor;
    else if (nearest == "round_prefer_ceil") nearest_mode_ = NearestMode::kRoundPreferCeil;
    else if (nearest == "floor") nearest_mode_ = NearestMode::kFloor;
    else if (nearest == "ceil") nearest_mode_ = NearestMode::kCeil;
    else return Status::Error("unsupported nearest_mode '{}'", nearest);

    cubic_a_ = node.getFloat("cubic_coeff_a", -0.75f);
    exclude_outside_ = node.getInt("exclude_outside", 0) != 0;
    extrapolation_value_ = node.getFloat("extrapolation_value", 0.0f);
    if (opset_ >= 18) {
      antialias_ = node.getInt("antialias", 0) != 0;
      axes_ = node.getInts("axes");
      std::string policy = node.getString("keep_aspect_ratio_policy", "stretch");
      if (policy == "stretch") policy_ = AspectPolicy::kStretch;
      else if (policy == "not_larger") policy_ = AspectPolicy::kNotLarger;
      else if (policy == "not_smaller") policy_ = AspectPolicy::kNotSmaller;
      else return Status::Error("unsupported keep_aspect_ratio_policy '{}'", policy);
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    const size_t rank = x->rank();
    const Shape& in_shape = x->shape();

    // The resized axes (all, or the `axes` attribute of opset 18+).
    std::vector<size_t> axes;
    if (axes_) {
      std::vector<bool> seen(rank, false);
      for (int64_t axis : *axes_) {
        ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, static_cast<int64_t>(rank)));
        if (seen[static_cast<size_t>(a)]) return Status::Error("axes repeats axis {}", axis);
        seen[static_cast<size_t>(a)] = true;
        axes.push_back(static_cast<size_t>(a));
      }
    } else {
      for (size_t d = 0; d < rank; ++d) axes.push_back(d);
    }

    // Scales or sizes.
    std::optional<std::vector<double>> scales_in;
    std::optional<std::vector<int64_t>> sizes_in;
    const Tensor* roi_tensor = nullptr;
    if (attribute_scales_) {
      scales_in = std::vector<double>(attribute_scales_->begin(), attribute_scales_->end());
    } else if (legacy_) {
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scales, context.requiredInput(1));
      ONNXKIT_ASSIGN_OR_RETURN(scales_in, ReadScales(*scales));
    } else {
      roi_tensor = context.input(1);
      const Tensor* scales = context.input(2);
      const Tensor* sizes = context.input(3);
      if (scales && scales->elementCount() > 0) {
        ONNXKIT_ASSIGN_OR_RETURN(scales_in, ReadScales(*scales));
      }
      if (sizes && sizes->elementCount() > 0) {
        if (scales_in) return Status::Error("only one of scales and sizes may be given");
        ONNXKIT_ASSIGN_OR_RETURN(sizes_in, ReadInt64s(*sizes, "sizes"));
      }
      if (!scales_in && !sizes_in) return Status::Error("one of scales and sizes must be given");
    }
    size_t given = scales_in ? scales_in->size() : sizes_in->size();
    if (given != axes.size())
      return Status::Error("{} has {} values, expected {} for input [{}]", scales_in ? "scales" : "sizes", given,
                           axes.size(), ShapeToString(in_shape));
    if (upsample_ && opset_ < 7 && rank != 4)
      return Status::Error("Upsample-1 needs a 4-D input, got [{}]", ShapeToString(in_shape));

    // Per axis: output length, scale, and the resized length used by the transforms.
    Shape out_shape = in_shape;
    std::vector<double> scale(rank, 1.0);
    std::vector<double> resized_length(rank);
    for (size_t d = 0; d < rank; ++d) resized_length[d] = static_cast<double>(in_shape[d]);
    if (scales_in) {
      for (size_t i = 0; i < axes.size(); ++i) {
        size_t d = axes[i];
        double s = (*scales_in)[i];
        if (!(s > 0) || !std::isfinite(s)) return Status::Error("scales must be positive, got {} for axis {}", s, d);
        double length = s * static_cast<double>(in_shape[d]);
        if (length > 9e18) return Status::Error("scale {} makes axis {} too long", s, d);
        scale[d] = s;
        out_shape[d] = static_cast<int64_t>(std::floor(length));
        resized_length[d] = length;
      }
    } else {
      for (size_t i = 0; i < axes.size(); ++i) {
        size_t d = axes[i];
        int64_t size = (*sizes_in)[i];
        if (size < 0) return Status::Error("sizes must be non-negative, got {} for axis {}", size, d);
        if (in_shape[d] == 0 && size > 0) return Status::Error("cannot resize empty axis {} to {}", d, size);
        out_shape[d] = size;
        scale[d] = in_shape[d] == 0 ? 1.0 : static_cast<double>(size) / static_cast<double>(in_shape[d]);
        resized_length[d] = static_cast<double>(size);
      }
      if (policy_ != AspectPolicy::kStretch) {
        double common = policy_ == AspectPolicy::kNotLarger ? std::numeric_limits<double>::infinity() : 0.0;
        for (size_t d : axes)
          common = policy_ == AspectPolicy::kNotLarger ? std::min(common, scale[d]) : std::max(common, scale[d]);
        for (size_t d : axes) {
          if (in_shape[d] == 0) continue;
          scale[d] = common;
          resized_length[d] = common * static_cast<double>(in_shape[d]);
          out_shape[d] = static_cast<int64_t>(resized_length[d] + 0.5);  // round half up
        }
      }
    }

    // RoI (tf_crop_and_resize only): [starts..., ends...] over the resized axes; default [0, 1].
    std::vector<double> roi_start(rank, 0.0), roi_end(rank, 1.0);
    if (transform_ == Transform::kTfCropAndResize && roi_tensor && roi_tensor->elementCount() > 0) {
      if (!IsFloatingPoint(roi_tensor->dtype()))
        return Status::Error("roi must be a float tensor, got {}", DataTypeName(roi_tensor->dtype()));
      if (roi_tensor->elementCount() != static_cast<int64_t>(2 * axes.size()))
        return Status::Error("roi has {} values, expected {}", roi_tensor->elementCount(), 2 * axes.size());
      for (size_t i = 0; i < axes.size(); ++i) {
        roi_start[axes[i]] = roi_tensor->elementAsDouble(static_cast<int64_t>(i));
        roi_end[axes[i]] = roi_tensor->elementAsDouble(static_cast<int64_t>(axes.size() + i));
      }
    }

    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
    if (y->elementCount() == 0) return Status::Ok();

    // Taps of every output coordinate of every axis.
    std::vector<std::vector<Taps>> taps(rank);
    std::vector<bool> identity(rank, true);
    for (size_t d = 0; d < rank; ++d) {
      taps[d].resize(static_cast<size_t>(out_shape[d]));
      for (int64_t o = 0; o < out_shape[d]; ++o) {
        ONNXKIT_ASSIGN_OR_RETURN(taps[d][static_cast<size_t>(o)],
                                 axisTaps(o, in_shape[d], out_shape[d], scale[d], resized_length[d], roi_start[d],
                                          roi_end[d]));
        const Taps& t = taps[d][static_cast<size_t>(o)];
        if (t.extrapolate || t.taps.size() != 1 || t.taps[0].first != o || t.taps[0].second != 1.0)
          identity[d] = false;
      }
      if (out_shape[d] != in_shape[d]) identity[d] = false;
    }

    if (interpolation_ == Interpolation::kNearest) return gather(*x, taps, *y);
    return DispatchNumeric(x->dtype(), context.node().opType(),
                           [&]<typename T>() { return interpolate<T>(*x, taps, identity, *y); });
  }

 private:
  static Result<std::vector<double>> ReadScales(const Tensor& scales) {
    if (!IsFloatingPoint(scales.dtype()))
      return Status::Error("scales must be float, got {}", DataTypeName(scales.dtype()));
    if (scales.rank() > 1) return Status::Error("scales must be 1-D, got [{}]", ShapeToString(scales.shape()));
    std::vector<double> values(static_cast<size_t>(scales.elementCount()));
    for (size_t i = 0; i < values.size(); ++i) values[i] = scales.elementAsDouble(static_cast<int64_t>(i));
    return values;
  }

  // The input coordinate of output coordinate `o` (before clamping).
  double original(int64_t o, int64_t in, int64_t out, double scale, double length, double roi_start,
                  double roi_end) const {
    double xo = static_cast<double>(o);
    double in_d = static_cast<double>(in);
    switch (transform_) {
      case Transform::kHalfPixel: return (xo + 0.5) / scale - 0.5;
      case Transform::kHalfPixelSymmetric: {
        double adjustment = static_cast<double>(out) / length;
        double offset = in_d / 2 * (1 - adjustment);
        return offset + (xo + 0.5) / scale - 0.5;
      }
      case Transform::kPytorchHalfPixel: return length > 1 ? (xo + 0.5) / scale - 0.5 : 0.0;
      case Transform::kAlignCorners: return length == 1 ? 0.0 : xo * (in_d - 1) / (length - 1);
      case Transform::kAsymmetric: return xo / scale;
      case Transform::kTfHalfPixelForNn: return (xo + 0.5) / scale;
      case Transform::kTfCropAndResize:
        if (length == 1) return (roi_end - roi_start) * (in_d - 1) / 2 + roi_start * (in_d - 1);
        return xo * (roi_end - roi_start) * (in_d - 1) / (length - 1) + roi_start * (in_d - 1);
    }
    return xo;
  }

  Result<Taps> axisTaps(int64_t o, int64_t in, int64_t out, double scale, double length, double roi_start,
                        double roi_end) const {
    Taps result;
    double x = original(o, in, out, scale, length, roi_start, roi_end);
    if (!std::isfinite(x) || std::abs(x) > 1e15)
      return Status::Error("output coordinate {} maps to input coordinate {}, outside any usable range", o, x);
    if (transform_ == Transform::kTfCropAndResize && (x < 0 || x > static_cast<double>(in - 1))) {
      result.extrapolate = true;
      return result;
    }
    auto clamp = [&](int64_t i) { return std::clamp<int64_t>(i, 0, in - 1); };
    const double base_d = std::floor(x);
    const int64_t base = static_cast<int64_t>(base_d);
    const double frac = x - base_d;
    std::vector<std::pair<int64_t, double>> raw;  // before clamping
    switch (interpolation_) {
      case Interpolation::kNearest: {
        int64_t index = base;
        if (frac > 0) {
          switch (nearest_mode_) {
            case NearestMode::kRoundPreferFloor: index = frac <= 0.5 ? base : base + 1; break;
            case NearestMode::kRoundPreferCeil: index = frac < 0.5 ? base : base + 1; break;
            case NearestMode::kFloor: index = base; break;
            case NearestMode::kCeil: index = base + 1; break;
            case NearestMode::kLegacy: index = scale < 1 ? base + 1 : base; break;
          }
        }
        result.taps.push_back({clamp(index), 1.0});
        return result;
      }
      case Interpolation::kLinear: {
        double s = antialias_ ? std::min(scale, 1.0) : 1.0;
        int64_t start = static_cast<int64_t>(std::floor(-1 / s)) + 1;
        for (int64_t j = base + start; j <= base + 1 - start; ++j)
          raw.push_back({j, std::clamp(1 - std::abs((static_cast<double>(j) - x) * s), 0.0, 1.0)});
        break;
      }
      case Interpolation::kCubic: {
        double a = cubic_a_;
        double s = antialias_ ? std::min(scale, 1.0) : 1.0;
        int64_t start = static_cast<int64_t>(std::floor(-2 / s)) + 1;
        for (int64_t j = base + start; j <= base + 1 - start; ++j)
          raw.push_back({j, CubicKernel((static_cast<double>(j) - x) * s, a)});
        break;
      }
    }
    // Antialiased filters are normalized; so are the remaining taps with exclude_outside.
    bool normalize = antialias_;
    if (exclude_outside_) {
      for (auto& [index, weight] : raw)
        if (index < 0 || index >= in) weight = 0;
      normalize = true;
    }
    double sum = 0;
    for (const auto& tap : raw) sum += tap.second;
    for (auto& [index, weight] : raw) {
      if (normalize && sum != 0) weight /= sum;
      if (weight == 0) continue;
      int64_t clamped = clamp(index);
      auto same =
          std::find_if(result.taps.begin(), result.taps.end(), [&](const auto& t) { return t.first == clamped; });
      if (same != result.taps.end()) same->second += weight;
      else result.taps.push_back({clamped, weight});
    }
    return result;
  }

  // Nearest: each output element copies one input element (or is extrapolation_value).
  Status gather(const Tensor& x, const std::vector<std::vector<Taps>>& taps, Tensor& y) const {
    const size_t rank = x.rank();
    const Shape& out_shape = y.shape();
    std::vector<int64_t> in_strides = Strides(x.shape());
    Tensor fill;
    if (transform_ == Transform::kTfCropAndResize) {
      ONNXKIT_ASSIGN_OR_RETURN(fill, Tensor::Allocate(x.dtype(), {1}));
      Status status = DispatchAny(x.dtype(), "Resize", [&]<typename T>() {
        if constexpr (std::is_same_v<T, std::string>) {
          fill.mutableStrings()[0] = "";
        } else if constexpr (std::is_same_v<T, bool>) {
          fill.mutableData<bool>()[0] = extrapolation_value_ != 0;
        } else {
          fill.mutableData<T>()[0] = SaturateCast<T>(extrapolation_value_);
        }
        return Status::Ok();
      });
      ONNXKIT_RETURN_IF_ERROR(status);
    }
    std::vector<int64_t> index(rank, 0);
    for (int64_t i = 0; i < y.elementCount(); ++i) {
      int64_t offset = 0;
      bool extrapolate = false;
      for (size_t d = 0; d < rank; ++d) {
        const Taps& t = taps[d][static_cast<size_t>(index[d])];
        if (t.extrapolate) {
          extrapolate = true;
          break;
        }
        offset += t.taps[0].first * in_strides[d];
      }
      if (extrapolate) CopyElement(fill, 0, y, i);
      else CopyElement(x, offset, y, i);
      for (size_t d = rank; d-- > 0;) {
        if (++index[d] < out_shape[d]) break;
        index[d] = 0;
      }
    }
    return Status::Ok();
  }

  // Converts to T: floats round to nearest, integers truncate toward zero and saturate.
  template <typename T>
  static T SaturateCast(double value) {
    if constexpr (std::is_floating_point_v<T> || kIsHalf<T>) {
      return FromCompute<T>(static_cast<ComputeType<T>>(value));
    } else {
      if (std::isnan(value)) return T(0);
      double lo = static_cast<double>(std::numeric_limits<T>::lowest());
      double hi = static_cast<double>(std::numeric_limits<T>::max());
      if (value <= lo) return std::numeric_limits<T>::lowest();
      if (value >= hi) return std::numeric_limits<T>::max();
      return static_cast<T>(value);
    }
  }

  // Linear and cubic: one axis at a time in double.
  template <typename T>
  Status interpolate(const Tensor& x, const std::vector<std::vector<Taps>>& taps, const std::vector<bool>& identity,
                     Tensor& y) const {
    const size_t rank = x.rank();
    Shape shape = x.shape();
    ONNXKIT_ASSIGN_OR_RETURN(Tensor current, Tensor::Allocate(DataType::kDouble, shape));
    {
      const T* in = x.data<T>();
      double* out = current.mutableData<double>();
      for (int64_t i = 0; i < x.elementCount(); ++i) out[i] = static_cast<double>(ToCompute(in[i]));
    }
    const double fill = extrapolation_value_;
    // Shrinking axes first keeps the intermediate tensors small.
    std::vector<size_t> order;
    for (size_t d = 0; d < rank; ++d)
      if (!identity[d]) order.push_back(d);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return static_cast<double>(y.dim(a)) / static_cast<double>(x.dim(a)) <
             static_cast<double>(y.dim(b)) / static_cast<double>(x.dim(b));
    });
    for (size_t d : order) {
      const int64_t outer = ProductOf(shape, 0, d);
      const int64_t inner = ProductOf(shape, d + 1, rank);
      const int64_t in_extent = shape[d];
      Shape next_shape = shape;
      next_shape[d] = y.dim(d);
      const int64_t out_extent = next_shape[d];
      ONNXKIT_ASSIGN_OR_RETURN(Tensor next, Tensor::Allocate(DataType::kDouble, next_shape));
      const double* src = current.data<double>();
      double* dst = next.mutableData<double>();
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < out_extent; ++j) {
          const Taps& t = taps[d][static_cast<size_t>(j)];
          double* row = dst + (o * out_extent + j) * inner;
          if (t.extrapolate) {
            std::fill(row, row + inner, fill);
            continue;
          }
          std::fill(row, row + inner, 0.0);
          for (const auto& [index, weight] : t.taps) {
            const double* from = src + (o * in_extent + index) * inner;
            for (int64_t k = 0; k < inner; ++k) row[k] += weight * from[k];
          }
        }
      }
      current = std::move(next);
      shape = std::move(next_shape);
    }
    const double* result = current.data<double>();
    T* out = y.mutableData<T>();
    for (int64_t i = 0; i < y.elementCount(); ++i) out[i] = SaturateCast<T>(result[i]);
    return Status::Ok();
  }

  bool upsample_;
  int64_t opset_ = 0;
  bool legacy_ = false;
  std::optional<std::vector<float>> attribute_scales_;
  Interpolation interpolation_ = Interpolation::kNearest;
  NearestMode nearest_mode_ = NearestMode::kRoundPreferFloor;
  Transform transform_ = Transform::kHalfPixel;
  double cubic_a_ = -0.75;
  bool exclude_outside_ = false;
  double extrapolation_value_ = 0;
  bool antialias_ = false;
  std::optional<std::vector<int64_t>> axes_;
  AspectPolicy policy_ = AspectPolicy::kStretch;
};

class ResizeOp : public Resize {
 public:
  ResizeOp() : Resize(false) {}
};

class UpsampleOp : public Resize {
 public:
  UpsampleOp() : Resize(true) {}
};

const KernelRegistration kKernels[] = {
    {"", "Resize", 10, 10, CreateKernel<ResizeOp>},
    {"", "Resize", 11, 12, CreateKernel<ResizeOp>},
    {"", "Resize", 13, 17, CreateKernel<ResizeOp>},
    {"", "Resize", 18, 18, CreateKernel<ResizeOp>},
    {"", "Resize", 19, kLatestOpset, CreateKernel<ResizeOp>},
    {"", "Upsample", 1, 6, CreateKernel<UpsampleOp>},
    {"", "Upsample", 7, 8, CreateKernel<UpsampleOp>},
    {"", "Upsample", 9, 9, CreateKernel<UpsampleOp>},
    {"", "Upsample", 10, 10, CreateKernel<UpsampleOp>},  // deprecated in opset 10; same as Upsample-9
};

}  // namespace

std::span<const KernelRegistration> ResizeKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
