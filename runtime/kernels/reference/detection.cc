// Object detection kernels: NonMaxSuppression, RoiAlign.
#include <algorithm>
#include <cmath>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// ---------------------------------------------------------------------------------------------
// NonMaxSuppression
//
// Per batch and class, boxes scoring above score_threshold are taken in order of decreasing score
// (ties: lower box index first); a box is kept unless its IOU with an already kept box exceeds
// iou_threshold, until max_output_boxes_per_class are kept. The output lists [batch, class, box]
// by batch, then class, then selection order.

struct Box {
  float y1, x1, y2, x2;  // y1 <= y2, x1 <= x2
  float area() const { return (y2 - y1) * (x2 - x1); }
};

Box ReadBox(const float* data, bool center_point) {
  if (center_point) {  // [x_center, y_center, width, height]
    float half_w = data[2] / 2, half_h = data[3] / 2;
    return {data[1] - half_h, data[0] - half_w, data[1] + half_h, data[0] + half_w};
  }
  return {std::min(data[0], data[2]), std::min(data[1], data[3]), std::max(data[0], data[2]),
          std::max(data[1], data[3])};
}

// True when the boxes overlap by more than the threshold (degenerate boxes never suppress).
bool Suppresses(const Box& a, const Box& b, float iou_threshold) {
  float area_a = a.area(), area_b = b.area();
  if (area_a <= 0 || area_b <= 0) return false;
  float inter_h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  float inter_w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  if (inter_h <= 0 || inter_w <= 0) return false;
  float intersection = inter_h * inter_w;
  float union_area = area_a + area_b - intersection;
  if (union_area <= 0) return false;
  return intersection / union_area > iou_threshold;
}

class NonMaxSuppression : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    center_point_box_ = info.node.getInt("center_point_box", 0);
    if (center_point_box_ != 0 && center_point_box_ != 1)
      return Status::Error("center_point_box must be 0 or 1, got {}", center_point_box_);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* boxes, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scores, context.requiredInput(1));
    if (boxes->dtype() != DataType::kFloat || scores->dtype() != DataType::kFloat)
      return Status::Error("boxes and scores must be float, got {} and {}", DataTypeName(boxes->dtype()),
                           DataTypeName(scores->dtype()));
    if (boxes->rank() != 3 || boxes->dim(2) != 4)
      return Status::Error("boxes must have shape [batches, boxes, 4], got [{}]", ShapeToString(boxes->shape()));
    if (scores->rank() != 3 || scores->dim(0) != boxes->dim(0) || scores->dim(2) != boxes->dim(1))
      return Status::Error("scores must have shape [{}, classes, {}], got [{}]", boxes->dim(0), boxes->dim(1),
                           ShapeToString(scores->shape()));
    int64_t max_per_class = 0;
    float iou_threshold = 0;
    bool use_score_threshold = false;
    float score_threshold = 0;
    if (const Tensor* t = context.input(2); t && t->elementCount() > 0) {
      ONNXKIT_ASSIGN_OR_RETURN(max_per_class, ReadScalarInt64(*t, "max_output_boxes_per_class"));
    }
    if (const Tensor* t = context.input(3); t && t->elementCount() > 0) {
      ONNXKIT_ASSIGN_OR_RETURN(double value, ReadScalarDouble(*t, "iou_threshold"));
      if (!(value >= 0 && value <= 1)) return Status::Error("iou_threshold must be in [0, 1], got {}", value);
      iou_threshold = static_cast<float>(value);
    }
    if (const Tensor* t = context.input(4); t && t->elementCount() > 0) {
      ONNXKIT_ASSIGN_OR_RETURN(double value, ReadScalarDouble(*t, "score_threshold"));
      use_score_threshold = true;
      score_threshold = static_cast<float>(value);
    }
    const int64_t batches = boxes->dim(0), count = boxes->dim(1), classes = scores->dim(1);
    std::vector<int64_t> selected;  // triples
    if (max_per_class > 0) {
      const float* box_data = boxes->data<float>();
      const float* score_data = scores->data<float>();
      std::vector<Box> decoded(static_cast<size_t>(count));
      std::vector<int64_t> order;
      std::vector<int64_t> kept;
      for (int64_t b = 0; b < batches; ++b) {
        for (int64_t i = 0; i < count; ++i)
          decoded[static_cast<size_t>(i)] = ReadBox(box_data + (b * count + i) * 4, center_point_box_ == 1);
        for (int64_t c = 0; c < classes; ++c) {
          const float* class_scores = score_data + (b * classes + c) * count;
          order.clear();
          for (int64_t i = 0; i < count; ++i)
            if (!use_score_threshold || class_scores[i] > score_threshold) order.push_back(i);
          std::stable_sort(order.begin(), order.end(),
                           [&](int64_t l, int64_t r) { return class_scores[l] > class_scores[r]; });
          kept.clear();
          for (int64_t candidate : order) {
            if (static_cast<int64_t>(kept.size()) >= max_per_class) break;
            const Box& box = decoded[static_cast<size_t>(candidate)];
            bool suppressed = std::any_of(kept.begin(), kept.end(), [&](int64_t k) {
              return Suppresses(decoded[static_cast<size_t>(k)], box, iou_threshold);
            });
            if (!suppressed) kept.push_back(candidate);
          }
          for (int64_t k : kept) selected.insert(selected.end(), {b, c, k});
        }
      }
    }
    int64_t rows = static_cast<int64_t>(selected.size() / 3);
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, DataType::kInt64, {rows, 3}));
    std::copy(selected.begin(), selected.end(), out->mutableData<int64_t>());
    return Status::Ok();
  }

 private:
  int64_t center_point_box_ = 0;
};

// ---------------------------------------------------------------------------------------------
// RoiAlign
//
// Each bin of each RoI averages (or takes the max of) a grid of bilinear samples. Samples more than
// one pixel outside the map contribute zero (and still count in the average); samples within a
// pixel of the border clamp to it. In max mode the value of a sample is the largest of its four
// weighted corner terms (the behavior of the ONNX reference and onnxruntime).

class RoiAlign : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    std::string mode = node.getString("mode", "avg");
    if (mode != "avg" && mode != "max") return Status::Error("mode must be avg or max, got '{}'", mode);
    max_mode_ = mode == "max";
    output_height_ = node.getInt("output_height", 1);
    output_width_ = node.getInt("output_width", 1);
    if (output_height_ <= 0 || output_width_ <= 0)
      return Status::Error("output_height and output_width must be positive, got {} and {}", output_height_,
                           output_width_);
    sampling_ratio_ = node.getInt("sampling_ratio", 0);
    if (sampling_ratio_ < 0) return Status::Error("sampling_ratio must be non-negative, got {}", sampling_ratio_);
    spatial_scale_ = node.getFloat("spatial_scale", 1.0f);
    // RoiAlign-10 behaves as output_half_pixel; opset 16 adds the attribute with half_pixel default.
    if (info.opset >= 16) {
      std::string transform = node.getString("coordinate_transformation_mode", "half_pixel");
      if (transform != "half_pixel" && transform != "output_half_pixel")
        return Status::Error("coordinate_transformation_mode must be half_pixel or output_half_pixel, got '{}'",
                             transform);
      half_pixel_ = transform == "half_pixel";
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* rois, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* batch_indices, context.requiredInput(2));
    if (x->rank() != 4) return Status::Error("X must be 4-D (N, C, H, W), got [{}]", ShapeToString(x->shape()));
    if (rois->dtype() != x->dtype())
      return Status::Error("rois must have the type of X ({}), got {}", DataTypeName(x->dtype()),
                           DataTypeName(rois->dtype()));
    if (rois->rank() != 2 || rois->dim(1) != 4)
      return Status::Error("rois must have shape [num_rois, 4], got [{}]", ShapeToString(rois->shape()));
    if (batch_indices->rank() != 1 || batch_indices->dim(0) != rois->dim(0))
      return Status::Error("batch_indices must have shape [{}], got [{}]", rois->dim(0),
                           ShapeToString(batch_indices->shape()));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> batch, ReadInt64s(*batch_indices, "batch_indices"));
    for (size_t i = 0; i < batch.size(); ++i)
      if (batch[i] < 0 || batch[i] >= x->dim(0))
        return Status::Error("batch_indices value {} is out of range for batch size {}", batch[i], x->dim(0));
    return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16>(
        x->dtype(), "RoiAlign", [&]<typename T>() { return compute<T>(context, *x, *rois, batch); });
  }

 private:
  // One sampling coordinate along an axis: the two neighbors and their weights (zero weights for
  // a sample more than one pixel outside the map).
  struct AxisSample {
    int64_t low = 0, high = 0;
    double w_low = 0, w_high = 0;
  };

  static AxisSample Sample1D(double v, int64_t size) {
    AxisSample s;
    if (v < -1.0 || v > static_cast<double>(size)) return s;
    v = std::max(v, 0.0);
    s.low = static_cast<int64_t>(v);
    if (s.low >= size - 1) {
      s.high = s.low = size - 1;
      v = static_cast<double>(s.low);
    } else {
      s.high = s.low + 1;
    }
    s.w_high = v - static_cast<double>(s.low);
    s.w_low = 1 - s.w_high;
    return s;
  }

  // Samples of every bin along one axis: bins x grid entries.
  static std::vector<AxisSample> AxisSamples(double start, double bin, int64_t bins, int64_t grid, int64_t size) {
    std::vector<AxisSample> samples;
    samples.reserve(static_cast<size_t>(bins * grid));
    for (int64_t p = 0; p < bins; ++p)
      for (int64_t i = 0; i < grid; ++i)
        samples.push_back(Sample1D(start + static_cast<double>(p) * bin +
                                       (static_cast<double>(i) + 0.5) * bin / static_cast<double>(grid),
                                   size));
    return samples;
  }

  template <typename T>
  Status compute(KernelContext& context, const Tensor& x, const Tensor& rois, const std::vector<int64_t>& batch) {
    const int64_t num_rois = rois.dim(0), channels = x.dim(1), height = x.dim(2), width = x.dim(3);
    if (num_rois > 0 && channels > 0 && (height == 0 || width == 0))
      return Status::Error("X has an empty spatial size [{}]", ShapeToString(x.shape()));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y,
                             context.allocateOutput(0, x.dtype(), {num_rois, channels, output_height_, output_width_}));
    const T* x_data = x.data<T>();
    const T* roi_data = rois.data<T>();
    T* y_data = y->mutableData<T>();
    const double offset = half_pixel_ ? 0.5 : 0.0;
    for (int64_t r = 0; r < num_rois; ++r) {
      const T* roi = roi_data + r * 4;
      double start_w = static_cast<double>(ToCompute(roi[0])) * spatial_scale_ - offset;
      double start_h = static_cast<double>(ToCompute(roi[1])) * spatial_scale_ - offset;
      double end_w = static_cast<double>(ToCompute(roi[2])) * spatial_scale_ - offset;
      double end_h = static_cast<double>(ToCompute(roi[3])) * spatial_scale_ - offset;
      double roi_w = end_w - start_w, roi_h = end_h - start_h;
      if (!std::isfinite(roi_w) || !std::isfinite(roi_h) || !std::isfinite(start_w) || !std::isfinite(start_h))
        return Status::Error("roi {} has non-finite coordinates", r);
      if (!half_pixel_) {  // malformed RoIs become 1x1
        roi_w = std::max(roi_w, 1.0);
        roi_h = std::max(roi_h, 1.0);
      }
      const double bin_h = roi_h / static_cast<double>(output_height_);
      const double bin_w = roi_w / static_cast<double>(output_width_);
      // Adaptive grids: ceil(bin size) samples per bin and axis (none for an empty RoI).
      double grid_h_value =
          sampling_ratio_ > 0 ? static_cast<double>(sampling_ratio_) : std::max(0.0, std::ceil(bin_h));
      double grid_w_value =
          sampling_ratio_ > 0 ? static_cast<double>(sampling_ratio_) : std::max(0.0, std::ceil(bin_w));
      if (grid_h_value * grid_w_value * static_cast<double>(output_height_ * output_width_ * channels) > 1e11)
        return Status::Error("roi {} needs {}x{} samples per bin, too many", r, grid_h_value, grid_w_value);
      const int64_t grid_h = static_cast<int64_t>(grid_h_value), grid_w = static_cast<int64_t>(grid_w_value);
      const double count = static_cast<double>(std::max<int64_t>(grid_h * grid_w, 1));
      // Sampling positions and weights are separable and shared by all channels.
      std::vector<AxisSample> ys = AxisSamples(start_h, bin_h, output_height_, grid_h, height);
      std::vector<AxisSample> xs = AxisSamples(start_w, bin_w, output_width_, grid_w, width);

      for (int64_t c = 0; c < channels; ++c) {
        const T* plane = x_data + (batch[static_cast<size_t>(r)] * channels + c) * height * width;
        T* out = y_data + (r * channels + c) * output_height_ * output_width_;
        auto at = [&](int64_t yi, int64_t xi) { return static_cast<double>(ToCompute(plane[yi * width + xi])); };
        for (int64_t ph = 0; ph < output_height_; ++ph) {
          for (int64_t pw = 0; pw < output_width_; ++pw) {
            double value = 0;
            bool first = true;
            for (int64_t iy = 0; iy < grid_h; ++iy) {
              const AxisSample& sy = ys[static_cast<size_t>(ph * grid_h + iy)];
              for (int64_t ix = 0; ix < grid_w; ++ix) {
                const AxisSample& sx = xs[static_cast<size_t>(pw * grid_w + ix)];
                double terms[4] = {sy.w_low * sx.w_low * at(sy.low, sx.low), sy.w_low * sx.w_high * at(sy.low, sx.high),
                                   sy.w_high * sx.w_low * at(sy.high, sx.low),
                                   sy.w_high * sx.w_high * at(sy.high, sx.high)};
                if (max_mode_) {
                  double v = std::max(std::max(terms[0], terms[1]), std::max(terms[2], terms[3]));
                  value = first ? v : std::max(value, v);
                  first = false;
                } else {
                  value += terms[0] + terms[1] + terms[2] + terms[3];
                }
              }
            }
            if (!max_mode_) value /= count;
            out[ph * output_width_ + pw] = FromCompute<T>(static_cast<ComputeType<T>>(value));
          }
        }
      }
    }
    return Status::Ok();
  }

  bool max_mode_ = false;
  int64_t output_height_ = 1, output_width_ = 1, sampling_ratio_ = 0;
  double spatial_scale_ = 1.0;
  bool half_pixel_ = false;
};

const KernelRegistration kKernels[] = {
    {"", "NonMaxSuppression", 10, 10, CreateKernel<NonMaxSuppression>},
    {"", "NonMaxSuppression", 11, kLatestOpset, CreateKernel<NonMaxSuppression>},
    {"", "RoiAlign", 10, 15, CreateKernel<RoiAlign>},
    {"", "RoiAlign", 16, kLatestOpset, CreateKernel<RoiAlign>},
};

}  // namespace

std::span<const KernelRegistration> DetectionKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
