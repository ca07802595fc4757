// Normalization and softmax kernels: BatchNormalization, InstanceNormalization,
// LayerNormalization, GroupNormalization, LRN, MeanVarianceNormalization, Softmax, LogSoftmax,
// Hardmax, NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss.
//
// Statistics and exponentials are computed in double and rounded once to the output type.
#include <cmath>
#include <limits>
#include <optional>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

template <typename T>
double AsDouble(T value) {
  return static_cast<double>(ToCompute(value));
}

template <typename T>
T FromDouble(double value) {
  return FromCompute<T>(static_cast<ComputeType<T>>(value));
}

// Reads a floating-point tensor of any float type as doubles.
Result<std::vector<double>> ReadFloats(const Tensor& tensor, std::string_view what) {
  if (!IsFloatingPoint(tensor.dtype()))
    return Status::Error("{} must be a floating-point tensor, got {}", what, DataTypeName(tensor.dtype()));
  std::vector<double> values(static_cast<size_t>(tensor.elementCount()));
  ONNXKIT_RETURN_IF_ERROR(DispatchFloat(tensor.dtype(), what, [&]<typename T>() -> Status {
    const T* data = tensor.data<T>();
    for (size_t i = 0; i < values.size(); ++i) values[i] = AsDouble(data[i]);
    return Status::Ok();
  }));
  return values;
}

// Allocates output `index` as a float tensor of `type` and fills it from doubles.
Status WriteFloats(KernelContext& context, size_t index, DataType type, const Shape& shape,
                   std::span<const double> values) {
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(index, type, shape));
  if (out->elementCount() != static_cast<int64_t>(values.size()))
    return Status::Error("internal: output {} has {} elements, {} values computed", index, out->elementCount(),
                         values.size());
  return DispatchFloat(type, "output", [&]<typename T>() -> Status {
    T* data = out->mutableData<T>();
    for (size_t i = 0; i < values.size(); ++i) data[i] = FromDouble<T>(values[i]);
    return Status::Ok();
  });
}

// Element i of a float tensor set from a double (for small statistics outputs).
void StoreDouble(Tensor& tensor, int64_t i, double value) {
  switch (tensor.dtype()) {
    case DataType::kFloat: tensor.mutableData<float>()[i] = static_cast<float>(value); break;
    case DataType::kDouble: tensor.mutableData<double>()[i] = value; break;
    case DataType::kFloat16: tensor.mutableData<Float16>()[i] = Float16(static_cast<float>(value)); break;
    case DataType::kBfloat16: tensor.mutableData<BFloat16>()[i] = BFloat16(static_cast<float>(value)); break;
    default: break;
  }
}

bool Wants(const KernelContext& context, size_t output) {
  return output < context.outputCount() && context.outputRequested(output);
}

Status RequireFloat(const Tensor& tensor, std::string_view what) {
  if (!IsFloatingPoint(tensor.dtype()))
    return Status::Error("{} must be a floating-point tensor, got {}", what, DataTypeName(tensor.dtype()));
  return Status::Ok();
}

Status RequireSameType(const Tensor& a, std::string_view a_name, const Tensor& b, std::string_view b_name) {
  if (a.dtype() != b.dtype())
    return Status::Error("{} ({}) and {} ({}) must have the same type", a_name, DataTypeName(a.dtype()), b_name,
                         DataTypeName(b.dtype()));
  return Status::Ok();
}

Status RequireCount(const Tensor& tensor, std::string_view what, int64_t count, std::string_view expected) {
  if (tensor.elementCount() != count)
    return Status::Error("{} has shape [{}], expected {} = {} elements", what, ShapeToString(tensor.shape()), expected,
                         count);
  return Status::Ok();
}

// ------------------------------------------------------------------------------------------------
// BatchNormalization
//
// X is [N, C, D1, ...]; statistics are per channel (spatial, the only mode since opset 9) or, with
// spatial=0 (opsets 1-8), per feature (C x D1 x ... elements). Inference uses the given mean and
// variance. Training mode computes the batch mean and (population) variance, normalizes with them
// and outputs running = input * momentum + batch * (1 - momentum):
//   opset 14+: training_mode=1; outputs running_mean, running_var.
//   opset 7-13: when any of the outputs mean, var, saved_mean, saved_var is requested.
//   opset 1-6: when is_test=0 and any of those outputs is requested (a single-output node with
//              is_test=0, as old exporters wrote for inference, uses the given statistics).
// In inference mode a requested running/saved statistic output is the given mean or variance.
class BatchNormalization : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    opset_ = info.opset;
    epsilon_ = node.getFloat("epsilon", 1e-5f);
    momentum_ = node.getFloat("momentum", 0.9f);
    if (opset_ < 9) spatial_ = node.getInt("spatial", 1) != 0;
    if (opset_ < 7) is_test_ = node.getInt("is_test", 0) != 0;
    if (opset_ >= 14) {
      int64_t training_mode = node.getInt("training_mode", 0);
      if (training_mode != 0 && training_mode != 1)
        return Status::Error("training_mode must be 0 or 1, got {}", training_mode);
      training_mode_ = training_mode == 1;
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* bias, context.requiredInput(2));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* mean, context.requiredInput(3));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* var, context.requiredInput(4));
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "X"));
    if (opset_ < 14) {
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *scale, "scale"));
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *bias, "B"));
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *mean, "mean"));
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *var, "var"));
    } else {
      if (opset_ == 14) ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *scale, "scale"));
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*scale, "scale", *bias, "B"));
      ONNXKIT_RETURN_IF_ERROR(RequireSameType(*mean, "input_mean", *var, "input_var"));
    }
    if (x->rank() < 2) return Status::Error("X must have rank 2 or more ([N, C, ...]), got {}", DescribeTensor(*x));
    int64_t batch = x->dim(0);
    int64_t channels = x->dim(1);
    int64_t spatial = ProductOf(x->shape(), 2, x->rank());
    // Statistics are per `features` rows of `inner` contiguous elements in each batch item.
    int64_t features = spatial_ ? channels : channels * spatial;
    int64_t inner = spatial_ ? spatial : 1;
    std::string_view expected = spatial_ ? "C" : "C x D1 x ... (spatial=0)";
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*scale, "scale", features, expected));
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*bias, "B", features, expected));
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*mean, "mean", features, expected));
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*var, "var", features, expected));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> scale_values, ReadFloats(*scale, "scale"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> bias_values, ReadFloats(*bias, "B"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> mean_values, ReadFloats(*mean, "mean"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> var_values, ReadFloats(*var, "var"));

    size_t statistic_outputs = opset_ >= 14 ? 2 : 4;  // outputs after Y
    bool extra_outputs = false;
    for (size_t i = 1; i <= statistic_outputs; ++i) extra_outputs = extra_outputs || Wants(context, i);
    bool training = opset_ >= 14 ? training_mode_ : (opset_ >= 7 ? extra_outputs : extra_outputs && !is_test_);

    std::vector<double> batch_mean, batch_var;
    if (training) {
      ONNXKIT_RETURN_IF_ERROR(DispatchFloat(x->dtype(), "BatchNormalization", [&]<typename T>() -> Status {
        BatchStatistics<T>(*x, batch, features, inner, batch_mean, batch_var);
        return Status::Ok();
      }));
    }
    const std::vector<double>& use_mean = training ? batch_mean : mean_values;
    const std::vector<double>& use_var = training ? batch_var : var_values;
    // y = x * a + b with a = scale / sqrt(var + epsilon), b = bias - mean * a.
    std::vector<double> a(static_cast<size_t>(features)), b(static_cast<size_t>(features));
    for (size_t f = 0; f < a.size(); ++f) {
      a[f] = scale_values[f] / std::sqrt(use_var[f] + static_cast<double>(epsilon_));
      b[f] = bias_values[f] - use_mean[f] * a[f];
    }
    ONNXKIT_RETURN_IF_ERROR(DispatchFloat(x->dtype(), "BatchNormalization", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t f = 0; f < features; ++f) {
          int64_t base = (n * features + f) * inner;
          double scale_f = a[static_cast<size_t>(f)], shift_f = b[static_cast<size_t>(f)];
          for (int64_t s = 0; s < inner; ++s) out[base + s] = FromDouble<T>(AsDouble(in[base + s]) * scale_f + shift_f);
        }
      }
      return Status::Ok();
    }));

    // Statistic outputs, typed and shaped like the given mean/var.
    std::vector<double> running_mean = mean_values, running_var = var_values;
    if (training) {
      double m = static_cast<double>(momentum_);
      for (size_t f = 0; f < running_mean.size(); ++f) {
        running_mean[f] = mean_values[f] * m + batch_mean[f] * (1 - m);
        running_var[f] = var_values[f] * m + batch_var[f] * (1 - m);
      }
    }
    const std::vector<double>* statistics[] = {&running_mean, &running_var, training ? &batch_mean : &mean_values,
                                               training ? &batch_var : &var_values};
    for (size_t i = 1; i <= statistic_outputs; ++i) {
      if (!Wants(context, i)) continue;
      const Tensor& like = i % 2 == 1 ? *mean : *var;
      ONNXKIT_RETURN_IF_ERROR(WriteFloats(context, i, like.dtype(), like.shape(), *statistics[i - 1]));
    }
    return Status::Ok();
  }

 private:
  template <typename T>
  static void BatchStatistics(const Tensor& x, int64_t batch, int64_t features, int64_t inner,
                              std::vector<double>& mean, std::vector<double>& var) {
    const T* in = x.data<T>();
    mean.assign(static_cast<size_t>(features), 0.0);
    var.assign(static_cast<size_t>(features), 0.0);
    double count = static_cast<double>(batch * inner);
    for (int64_t f = 0; f < features; ++f) {
      double sum = 0;
      for (int64_t n = 0; n < batch; ++n)
        for (int64_t s = 0; s < inner; ++s) sum += AsDouble(in[(n * features + f) * inner + s]);
      double mu = sum / count;
      double squares = 0;
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t s = 0; s < inner; ++s) {
          double d = AsDouble(in[(n * features + f) * inner + s]) - mu;
          squares += d * d;
        }
      }
      mean[static_cast<size_t>(f)] = mu;
      var[static_cast<size_t>(f)] = squares / count;
    }
  }

  int64_t opset_ = 0;
  float epsilon_ = 1e-5f;
  float momentum_ = 0.9f;
  bool spatial_ = true;
  bool is_test_ = false;
  bool training_mode_ = false;
};

// Mean and population variance of `count` elements at data[0], data[stride], ... (two passes).
template <typename T>
void MeanAndVariance(const T* data, int64_t count, int64_t stride, double& mean, double& variance) {
  double sum = 0;
  for (int64_t i = 0; i < count; ++i) sum += AsDouble(data[i * stride]);
  mean = sum / static_cast<double>(count);
  double squares = 0;
  for (int64_t i = 0; i < count; ++i) {
    double d = AsDouble(data[i * stride]) - mean;
    squares += d * d;
  }
  variance = squares / static_cast<double>(count);
}

// ------------------------------------------------------------------------------------------------
// InstanceNormalization: per (n, c), y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c].
class InstanceNormalization : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    epsilon_ = info.node.getFloat("epsilon", 1e-5f);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* bias, context.requiredInput(2));
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "input"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "input", *scale, "scale"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "input", *bias, "B"));
    if (x->rank() < 2)
      return Status::Error("input must have rank 2 or more ([N, C, ...]), got {}", DescribeTensor(*x));
    int64_t batch = x->dim(0), channels = x->dim(1), spatial = ProductOf(x->shape(), 2, x->rank());
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*scale, "scale", channels, "C"));
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*bias, "B", channels, "C"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> scale_values, ReadFloats(*scale, "scale"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> bias_values, ReadFloats(*bias, "B"));
    return DispatchFloat(x->dtype(), "InstanceNormalization", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      if (spatial == 0) return Status::Ok();
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t c = 0; c < channels; ++c) {
          int64_t base = (n * channels + c) * spatial;
          double mean, variance;
          MeanAndVariance(in + base, spatial, 1, mean, variance);
          double a = scale_values[static_cast<size_t>(c)] / std::sqrt(variance + static_cast<double>(epsilon_));
          double b = bias_values[static_cast<size_t>(c)];
          for (int64_t s = 0; s < spatial; ++s) out[base + s] = FromDouble<T>((AsDouble(in[base + s]) - mean) * a + b);
        }
      }
      return Status::Ok();
    });
  }

 private:
  float epsilon_ = 1e-5f;
};

// stash_type (a TensorProto data type) as the type of the statistics.
Result<DataType> StashType(const Node& node) {
  int64_t stash = node.getInt("stash_type", static_cast<int64_t>(DataType::kFloat));
  if (stash != static_cast<int64_t>(DataType::kFloat) && stash != static_cast<int64_t>(DataType::kBfloat16))
    return Status::Error("stash_type must be 1 (float) or 16 (bfloat16), got {}", stash);
  return static_cast<DataType>(stash);
}

// Rounds a statistic to the stash type (the precision stage one is computed in).
double RoundToStash(double value, DataType stash) {
  if (stash == DataType::kBfloat16) return static_cast<double>(static_cast<float>(BFloat16(static_cast<float>(value))));
  return static_cast<double>(static_cast<float>(value));
}

// ------------------------------------------------------------------------------------------------
// LayerNormalization (opset 17): normalizes over the dimensions [axis, rank); Scale and B have
// that many elements (or one, broadcast). Optional outputs Mean and InvStdDev have shape
// [d0, ..., d(axis-1), 1, ..., 1] and the stash type.
class LayerNormalization : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    axis_ = node.getInt("axis", -1);
    epsilon_ = node.getFloat("epsilon", 1e-5f);
    ONNXKIT_ASSIGN_OR_RETURN(stash_, StashType(node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    const Tensor* bias = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "X"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *scale, "Scale"));
    if (bias) ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *bias, "B"));
    int64_t rank = static_cast<int64_t>(x->rank());
    if (axis_ < -rank || axis_ > rank) return Status::Error("axis {} is out of range [-{}, {}]", axis_, rank, rank);
    size_t axis = static_cast<size_t>(axis_ < 0 ? axis_ + rank : axis_);
    int64_t rows = ProductOf(x->shape(), 0, axis);
    int64_t cols = ProductOf(x->shape(), axis, x->rank());
    auto check_params = [&](const Tensor& t, std::string_view name) -> Status {
      if (t.elementCount() != cols && t.elementCount() != 1)
        return Status::Error("{} has shape [{}]: it must have the {} elements of the normalized dimensions [{}]", name,
                             ShapeToString(t.shape()), cols,
                             ShapeToString(std::span<const int64_t>(x->shape()).subspan(axis)));
      return Status::Ok();
    };
    ONNXKIT_RETURN_IF_ERROR(check_params(*scale, "Scale"));
    if (bias) ONNXKIT_RETURN_IF_ERROR(check_params(*bias, "B"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> scale_values, ReadFloats(*scale, "Scale"));
    std::vector<double> bias_values(1, 0.0);
    if (bias) {
      ONNXKIT_ASSIGN_OR_RETURN(bias_values, ReadFloats(*bias, "B"));
    }
    Shape stat_shape = x->shape();
    for (size_t d = axis; d < stat_shape.size(); ++d) stat_shape[d] = 1;
    Tensor* mean_out = nullptr;
    Tensor* inv_std_out = nullptr;
    if (Wants(context, 1)) {
      ONNXKIT_ASSIGN_OR_RETURN(mean_out, context.allocateOutput(1, stash_, stat_shape));
    }
    if (Wants(context, 2)) {
      ONNXKIT_ASSIGN_OR_RETURN(inv_std_out, context.allocateOutput(2, stash_, stat_shape));
    }
    return DispatchFloat(x->dtype(), "LayerNormalization", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      bool scale_one = scale_values.size() == 1, bias_one = bias_values.size() == 1;
      for (int64_t r = 0; r < rows; ++r) {
        const T* row = in + r * cols;
        double mean, variance;
        MeanAndVariance(row, cols, 1, mean, variance);
        mean = RoundToStash(mean, stash_);
        double inv_std = RoundToStash(1.0 / std::sqrt(variance + static_cast<double>(epsilon_)), stash_);
        if (mean_out) StoreDouble(*mean_out, r, mean);
        if (inv_std_out) StoreDouble(*inv_std_out, r, inv_std);
        for (int64_t c = 0; c < cols; ++c) {
          // Stage one rounds the normalized value to T; stage two scales and shifts it.
          double normalized = AsDouble(FromDouble<T>((AsDouble(row[c]) - mean) * inv_std));
          double s = scale_values[scale_one ? 0 : static_cast<size_t>(c)];
          double b = bias_values[bias_one ? 0 : static_cast<size_t>(c)];
          out[r * cols + c] = FromDouble<T>(normalized * s + b);
        }
      }
      return Status::Ok();
    });
  }

 private:
  int64_t axis_ = -1;
  float epsilon_ = 1e-5f;
  DataType stash_ = DataType::kFloat;
};

// ------------------------------------------------------------------------------------------------
// GroupNormalization: channels split into num_groups groups, statistics per (n, group).
// Opset 18: scale and bias have one value per group. Opset 21: one value per channel, and
// stash_type sets the precision of the statistics.
class GroupNormalization : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    per_channel_ = info.opset >= 21;
    epsilon_ = node.getFloat("epsilon", 1e-5f);
    if (!node.hasAttribute("num_groups")) return Status::Error("missing required attribute num_groups");
    num_groups_ = node.getInt("num_groups", 0);
    if (num_groups_ <= 0) return Status::Error("num_groups must be positive, got {}", num_groups_);
    if (per_channel_) {
      ONNXKIT_ASSIGN_OR_RETURN(stash_, StashType(node));
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* bias, context.requiredInput(2));
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*x, "X"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *scale, "scale"));
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(*x, "X", *bias, "bias"));
    if (x->rank() < 2) return Status::Error("X must have rank 2 or more ([N, C, ...]), got {}", DescribeTensor(*x));
    int64_t batch = x->dim(0), channels = x->dim(1), spatial = ProductOf(x->shape(), 2, x->rank());
    if (channels % num_groups_ != 0)
      return Status::Error("the {} channels cannot be divided into num_groups={} groups", channels, num_groups_);
    int64_t group_channels = channels / num_groups_;
    int64_t params = per_channel_ ? channels : num_groups_;
    std::string_view expected = per_channel_ ? "C" : "num_groups";
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*scale, "scale", params, expected));
    ONNXKIT_RETURN_IF_ERROR(RequireCount(*bias, "bias", params, expected));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> scale_values, ReadFloats(*scale, "scale"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> bias_values, ReadFloats(*bias, "bias"));
    return DispatchFloat(x->dtype(), "GroupNormalization", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      int64_t group_size = group_channels * spatial;
      if (group_size == 0) return Status::Ok();
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t g = 0; g < num_groups_; ++g) {
          int64_t base = (n * num_groups_ + g) * group_size;
          double mean, variance;
          MeanAndVariance(in + base, group_size, 1, mean, variance);
          double inv_std = 1.0 / std::sqrt(variance + static_cast<double>(epsilon_));
          if (per_channel_) {
            mean = RoundToStash(mean, stash_);
            inv_std = RoundToStash(inv_std, stash_);
          }
          for (int64_t k = 0; k < group_channels; ++k) {
            size_t p = static_cast<size_t>(per_channel_ ? g * group_channels + k : g);
            double s = scale_values[p], b = bias_values[p];
            int64_t channel_base = base + k * spatial;
            for (int64_t i = 0; i < spatial; ++i) {
              double normalized = AsDouble(FromDouble<T>((AsDouble(in[channel_base + i]) - mean) * inv_std));
              out[channel_base + i] = FromDouble<T>(normalized * s + b);
            }
          }
        }
      }
      return Status::Ok();
    });
  }

 private:
  bool per_channel_ = false;
  float epsilon_ = 1e-5f;
  int64_t num_groups_ = 0;
  DataType stash_ = DataType::kFloat;
};

// ------------------------------------------------------------------------------------------------
// LRN: y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta, the window being
// [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)] clipped to the channels.
class Lrn : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    if (!node.hasAttribute("size")) return Status::Error("missing required attribute size");
    size_ = node.getInt("size", 0);
    if (size_ <= 0) return Status::Error("size must be positive, got {}", size_);
    alpha_ = node.getFloat("alpha", 1e-4f);
    beta_ = node.getFloat("beta", 0.75f);
    bias_ = node.getFloat("bias", 1.0f);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    if (x->rank() < 2) return Status::Error("X must have rank 2 or more ([N, C, ...]), got {}", DescribeTensor(*x));
    int64_t batch = x->dim(0), channels = x->dim(1), spatial = ProductOf(x->shape(), 2, x->rank());
    int64_t before = (size_ - 1) / 2, after = size_ - 1 - before;
    return DispatchFloat(x->dtype(), "LRN", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      double alpha_over_size = static_cast<double>(alpha_) / static_cast<double>(size_);
      for (int64_t n = 0; n < batch; ++n) {
        for (int64_t c = 0; c < channels; ++c) {
          int64_t first = std::max<int64_t>(0, c - before), last = std::min<int64_t>(channels - 1, c + after);
          for (int64_t s = 0; s < spatial; ++s) {
            double squares = 0;
            for (int64_t k = first; k <= last; ++k) {
              double v = AsDouble(in[(n * channels + k) * spatial + s]);
              squares += v * v;
            }
            int64_t i = (n * channels + c) * spatial + s;
            double denominator = std::pow(static_cast<double>(bias_) + alpha_over_size * squares, static_cast<double>(beta_));
            out[i] = FromDouble<T>(AsDouble(in[i]) / denominator);
          }
        }
      }
      return Status::Ok();
    });
  }

 private:
  int64_t size_ = 0;
  float alpha_ = 1e-4f, beta_ = 0.75f, bias_ = 1.0f;
};

// ------------------------------------------------------------------------------------------------
// MeanVarianceNormalization: y = (x - mean) / (sqrt(variance) + 1e-9) with the statistics taken
// over `axes` (default [0, 2, 3]), as the function body of the op defines it.
class MeanVarianceNormalization : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    axes_ = info.node.getInts("axes").value_or(std::vector<int64_t>{0, 2, 3});
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    int64_t rank = static_cast<int64_t>(x->rank());
    std::vector<bool> reduced(static_cast<size_t>(rank), false);
    for (int64_t axis : axes_) {
      ONNXKIT_ASSIGN_OR_RETURN(int64_t a, NormalizeAxis(axis, rank));
      if (reduced[static_cast<size_t>(a)]) return Status::Error("axis {} is listed more than once in axes", axis);
      reduced[static_cast<size_t>(a)] = true;
    }
    Shape keep_shape = x->shape();
    int64_t count = 1;
    for (size_t d = 0; d < keep_shape.size(); ++d) {
      if (reduced[d]) {
        count *= keep_shape[d];
        keep_shape[d] = 1;
      }
    }
    return DispatchFloat(x->dtype(), "MeanVarianceNormalization", [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
      if (x->elementCount() == 0) return Status::Ok();
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      size_t groups = static_cast<size_t>(ProductOf(keep_shape, 0, keep_shape.size()));
      std::vector<double> mean(groups, 0.0), squares(groups, 0.0);
      BroadcastWalker walker(x->shape(), std::span<const Shape>(&keep_shape, 1));
      walker.forEach([&](int64_t i, std::span<const int64_t> o) { mean[static_cast<size_t>(o[0])] += AsDouble(in[i]); });
      for (double& m : mean) m /= static_cast<double>(count);
      walker.forEach([&](int64_t i, std::span<const int64_t> o) {
        double d = AsDouble(in[i]) - mean[static_cast<size_t>(o[0])];
        squares[static_cast<size_t>(o[0])] += d * d;
      });
      for (double& s : squares) s = std::sqrt(s / static_cast<double>(count)) + 1e-9;
      walker.forEach([&](int64_t i, std::span<const int64_t> o) {
        size_t g = static_cast<size_t>(o[0]);
        out[i] = FromDouble<T>((AsDouble(in[i]) - mean[g]) / squares[g]);
      });
      return Status::Ok();
    });
  }

 private:
  std::vector<int64_t> axes_;
};

// ------------------------------------------------------------------------------------------------
// Softmax, LogSoftmax, Hardmax. Opsets 1-12 coerce the input to 2-D [prod(d0..d(axis-1)),
// prod(d(axis)..)] and normalize each row (axis defaults to 1); opset 13+ normalizes along the
// single dimension `axis` (default -1).
enum class SoftmaxOp { kSoftmax, kLogSoftmax, kHardmax };

template <SoftmaxOp kOp>
class SoftmaxFamily : public Kernel {
 public:
  static constexpr std::string_view kName = kOp == SoftmaxOp::kSoftmax      ? "Softmax"
                                            : kOp == SoftmaxOp::kLogSoftmax ? "LogSoftmax"
                                                                            : "Hardmax";

  Status prepare(const KernelInfo& info) {
    single_axis_ = info.opset >= 13;
    axis_ = info.node.getInt("axis", single_axis_ ? -1 : 1);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(int64_t axis, NormalizeAxis(axis_, static_cast<int64_t>(x->rank())));
    const Shape& shape = x->shape();
    size_t a = static_cast<size_t>(axis);
    int64_t outer = ProductOf(shape, 0, a);
    int64_t extent = single_axis_ ? shape[a] : ProductOf(shape, a, shape.size());
    int64_t inner = single_axis_ ? ProductOf(shape, a + 1, shape.size()) : 1;
    return DispatchFloat(x->dtype(), kName, [&]<typename T>() -> Status {
      ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), shape));
      if (y->elementCount() == 0) return Status::Ok();
      const T* in = x->data<T>();
      T* out = y->mutableData<T>();
      std::vector<double> row(static_cast<size_t>(extent));
      for (int64_t o = 0; o < outer; ++o) {
        for (int64_t i = 0; i < inner; ++i) {
          int64_t base = o * extent * inner + i;
          for (int64_t k = 0; k < extent; ++k) row[static_cast<size_t>(k)] = AsDouble(in[base + k * inner]);
          NormalizeRow(row);
          for (int64_t k = 0; k < extent; ++k) out[base + k * inner] = FromDouble<T>(row[static_cast<size_t>(k)]);
        }
      }
      return Status::Ok();
    });
  }

 private:
  static void NormalizeRow(std::vector<double>& row) {
    size_t best = 0;
    for (size_t k = 1; k < row.size(); ++k)
      if (row[k] > row[best]) best = k;
    if constexpr (kOp == SoftmaxOp::kHardmax) {
      for (size_t k = 0; k < row.size(); ++k) row[k] = k == best ? 1.0 : 0.0;
    } else {
      double max = row[best];
      double sum = 0;
      if constexpr (kOp == SoftmaxOp::kSoftmax) {
        for (double& v : row) sum += (v = std::exp(v - max));
        for (double& v : row) v /= sum;
      } else {
        for (double v : row) sum += std::exp(v - max);
        double log_sum = std::log(sum);
        for (double& v : row) v = v - max - log_sum;
      }
    }
  }

  bool single_axis_ = true;
  int64_t axis_ = -1;
};

// ------------------------------------------------------------------------------------------------
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss share the loss computation:
//   loss[n, d] = -log_prob[n, target[n, d], d] * weight[target[n, d]]  (0 where target == ignore_index)
// reduced by "none" (shape of target), "sum", or "mean" (sum / sum of the weights applied).
struct LossOptions {
  std::string reduction = "mean";
  std::optional<int64_t> ignore_index;
};

Result<LossOptions> ReadLossOptions(const Node& node) {
  LossOptions options;
  options.reduction = node.getString("reduction", "mean");
  if (options.reduction != "none" && options.reduction != "sum" && options.reduction != "mean")
    return Status::Error("reduction must be 'none', 'sum' or 'mean', got '{}'", options.reduction);
  if (node.hasAttribute("ignore_index")) options.ignore_index = node.getInt("ignore_index", 0);
  return options;
}

// Checks input [N, C, d1, ...] against target [N, d1, ...] and reads the targets, each in [0, C)
// unless it is the ignore_index.
Result<std::vector<int64_t>> ReadTargets(const Tensor& input, std::string_view input_name, const Tensor& target,
                                         std::string_view target_name, const LossOptions& options) {
  if (input.rank() < 2)
    return Status::Error("{} must have rank 2 or more ([N, C, ...]), got {}", input_name, DescribeTensor(input));
  Shape expected = input.shape();
  expected.erase(expected.begin() + 1);
  if (target.shape() != expected)
    return Status::Error("{} has shape [{}], expected [{}] for {} of shape [{}]", target_name,
                         ShapeToString(target.shape()), ShapeToString(expected), input_name,
                         ShapeToString(input.shape()));
  if (target.dtype() != DataType::kInt64 && target.dtype() != DataType::kInt32)
    return Status::Error("{} must be int32 or int64, got {}", target_name, DataTypeName(target.dtype()));
  std::vector<int64_t> values(static_cast<size_t>(target.elementCount()));
  int64_t classes = input.dim(1);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t v = target.dtype() == DataType::kInt64 ? target.data<int64_t>()[i] : target.data<int32_t>()[i];
    if ((!options.ignore_index || v != *options.ignore_index) && (v < 0 || v >= classes))
      return Status::Error("{} value {} at index {} is out of range for {} classes", target_name, v, i, classes);
    values[i] = v;
  }
  return values;
}

// Computes the loss from log_prob(n, c, d) and writes it as output 0 of `type`.
template <typename LogProb>
Status WriteLoss(KernelContext& context, DataType type, const Tensor& input, const Tensor& target,
                 const std::vector<int64_t>& targets, const Tensor* weight, const LossOptions& options,
                 LogProb log_prob) {
  int64_t batch = input.dim(0), classes = input.dim(1), inner = ProductOf(input.shape(), 2, input.rank());
  std::vector<double> weights;
  if (weight) {
    ONNXKIT_RETURN_IF_ERROR(RequireSameType(input, "input", *weight, "weight"));
    if (weight->rank() != 1 || weight->dim(0) != classes)
      return Status::Error("weight has shape [{}], expected [{}] (one per class)", ShapeToString(weight->shape()),
                           classes);
    ONNXKIT_ASSIGN_OR_RETURN(weights, ReadFloats(*weight, "weight"));
  }
  std::vector<double> losses(targets.size());
  double total = 0, total_weight = 0;
  for (int64_t n = 0; n < batch; ++n) {
    for (int64_t d = 0; d < inner; ++d) {
      size_t i = static_cast<size_t>(n * inner + d);
      int64_t t = targets[i];
      if (options.ignore_index && t == *options.ignore_index) {
        losses[i] = 0;
        continue;
      }
      double w = weight ? weights[static_cast<size_t>(t)] : 1.0;
      losses[i] = -log_prob(n, t, d) * w;
      total += losses[i];
      total_weight += w;
    }
  }
  if (options.reduction == "none") return WriteFloats(context, 0, type, target.shape(), losses);
  double result = options.reduction == "sum" ? total : total / total_weight;
  return WriteFloats(context, 0, type, {}, std::span<const double>(&result, 1));
}

class NegativeLogLikelihoodLoss : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(options_, ReadLossOptions(info.node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* input, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* target, context.requiredInput(1));
    const Tensor* weight = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*input, "input"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> targets, ReadTargets(*input, "input", *target, "target", options_));
    int64_t classes = input->dim(1), inner = ProductOf(input->shape(), 2, input->rank());
    return DispatchFloat(input->dtype(), "NegativeLogLikelihoodLoss", [&]<typename T>() -> Status {
      const T* data = input->data<T>();
      return WriteLoss(context, input->dtype(), *input, *target, targets, weight, options_,
                       [&](int64_t n, int64_t c, int64_t d) { return AsDouble(data[(n * classes + c) * inner + d]); });
    });
  }

 private:
  LossOptions options_;
};

// SoftmaxCrossEntropyLoss: log_prob = LogSoftmax(scores, axis 1) (optional output 1), then the
// negative log-likelihood loss of it.
class SoftmaxCrossEntropyLoss : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    ONNXKIT_ASSIGN_OR_RETURN(options_, ReadLossOptions(info.node));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scores, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* labels, context.requiredInput(1));
    const Tensor* weights = context.input(2);
    ONNXKIT_RETURN_IF_ERROR(RequireFloat(*scores, "scores"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<int64_t> targets, ReadTargets(*scores, "scores", *labels, "labels", options_));
    int64_t batch = scores->dim(0), classes = scores->dim(1), inner = ProductOf(scores->shape(), 2, scores->rank());
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<double> log_prob, ReadFloats(*scores, "scores"));
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t d = 0; d < inner; ++d) {
        double* base = log_prob.data() + n * classes * inner + d;
        double max = -std::numeric_limits<double>::infinity();
        for (int64_t c = 0; c < classes; ++c) max = std::max(max, base[c * inner]);
        double sum = 0;
        for (int64_t c = 0; c < classes; ++c) sum += std::exp(base[c * inner] - max);
        double log_sum = std::log(sum);
        for (int64_t c = 0; c < classes; ++c) base[c * inner] = base[c * inner] - max - log_sum;
      }
    }
    ONNXKIT_RETURN_IF_ERROR(WriteLoss(context, scores->dtype(), *scores, *labels, targets, weights, options_,
                                      [&](int64_t n, int64_t c, int64_t d) {
                                        return log_prob[static_cast<size_t>((n * classes + c) * inner + d)];
                                      }));
    if (Wants(context, 1))
      ONNXKIT_RETURN_IF_ERROR(WriteFloats(context, 1, scores->dtype(), scores->shape(), log_prob));
    return Status::Ok();
  }

 private:
  LossOptions options_;
};

using Softmax = SoftmaxFamily<SoftmaxOp::kSoftmax>;
using LogSoftmax = SoftmaxFamily<SoftmaxOp::kLogSoftmax>;
using Hardmax = SoftmaxFamily<SoftmaxOp::kHardmax>;

// One entry per version of each op in the ONNX changelog; a kernel checks the opset where the
// behavior changes.
const KernelRegistration kKernels[] = {
    {"", "BatchNormalization", 1, 5, CreateKernel<BatchNormalization>},
    {"", "BatchNormalization", 6, 6, CreateKernel<BatchNormalization>},
    {"", "BatchNormalization", 7, 8, CreateKernel<BatchNormalization>},
    {"", "BatchNormalization", 9, 13, CreateKernel<BatchNormalization>},
    {"", "BatchNormalization", 14, 14, CreateKernel<BatchNormalization>},
    {"", "BatchNormalization", 15, kLatestOpset, CreateKernel<BatchNormalization>},
    {"", "GroupNormalization", 18, 20, CreateKernel<GroupNormalization>},
    {"", "GroupNormalization", 21, kLatestOpset, CreateKernel<GroupNormalization>},
    {"", "Hardmax", 1, 10, CreateKernel<Hardmax>},
    {"", "Hardmax", 11, 12, CreateKernel<Hardmax>},
    {"", "Hardmax", 13, kLatestOpset, CreateKernel<Hardmax>},
    {"", "InstanceNormalization", 1, 5, CreateKernel<InstanceNormalization>},
    {"", "InstanceNormalization", 6, kLatestOpset, CreateKernel<InstanceNormalization>},
    {"", "LRN", 1, 12, CreateKernel<Lrn>},
    {"", "LRN", 13, kLatestOpset, CreateKernel<Lrn>},
    {"", "LayerNormalization", 17, kLatestOpset, CreateKernel<LayerNormalization>},
    {"", "LogSoftmax", 1, 10, CreateKernel<LogSoftmax>},
    {"", "LogSoftmax", 11, 12, CreateKernel<LogSoftmax>},
    {"", "LogSoftmax", 13, kLatestOpset, CreateKernel<LogSoftmax>},
    {"", "MeanVarianceNormalization", 9, 12, CreateKernel<MeanVarianceNormalization>},
    {"", "MeanVarianceNormalization", 13, kLatestOpset, CreateKernel<MeanVarianceNormalization>},
    {"", "NegativeLogLikelihoodLoss", 12, 12, CreateKernel<NegativeLogLikelihoodLoss>},
    {"", "NegativeLogLikelihoodLoss", 13, kLatestOpset, CreateKernel<NegativeLogLikelihoodLoss>},
    {"", "Softmax", 1, 10, CreateKernel<Softmax>},
    {"", "Softmax", 11, 12, CreateKernel<Softmax>},
    {"", "Softmax", 13, kLatestOpset, CreateKernel<Softmax>},
    {"", "SoftmaxCrossEntropyLoss", 12, 12, CreateKernel<SoftmaxCrossEntropyLoss>},
    {"", "SoftmaxCrossEntropyLoss", 13, kLatestOpset, CreateKernel<SoftmaxCrossEntropyLoss>},
};

}  // namespace

std::span<const KernelRegistration> NormalizationKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
