// Recurrent kernels: LSTM, GRU, RNN (one layer, forward / reverse / bidirectional).
//
// Shared conventions of the three ops:
//   X [seq_length, batch, input_size] (layout 1: [batch, seq_length, input_size])
//   W [num_directions, gates*hidden, input_size], R [num_directions, gates*hidden, hidden]
//   B [num_directions, 2*gates*hidden] = [Wb, Rb] per direction (optional, zero)
//   sequence_lens [batch] int32 (optional): steps at or past a sequence's end give zero in Y, and
//     Y_h / Y_c hold the state after the sequence's last step; the reverse direction starts at the
//     last valid step of each sequence.
//   initial_h / initial_c [num_directions, batch, hidden] (layout 1: [batch, num_directions, hidden])
//   Y [seq_length, num_directions, batch, hidden] (layout 1: [batch, seq_length, num_directions, hidden])
// `clip` bounds the input of the gate activations (f and g; not h of the LSTM cell state).
// float16 computes in float.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

enum class CellKind { kLstm, kGru, kRnn };

// An activation function with its alpha/beta (double: evaluated in the compute type by the caller).
struct Activation {
  enum class Kind { kSigmoid, kTanh, kRelu, kAffine, kLeakyRelu, kThresholdedRelu, kScaledTanh, kHardSigmoid, kElu,
                    kSoftsign, kSoftplus };
  Kind kind = Kind::kSigmoid;
  double alpha = 0;
  double beta = 0;

  template <typename C>
  C operator()(C x) const {
    C a = static_cast<C>(alpha);
    C b = static_cast<C>(beta);
    switch (kind) {
      case Kind::kSigmoid:
        // Written so that neither branch overflows.
        if (x >= C(0)) return C(1) / (C(1) + std::exp(-x));
        else {
          C e = std::exp(x);
          return e / (C(1) + e);
        }
      case Kind::kTanh: return std::tanh(x);
      case Kind::kRelu: return x > C(0) ? x : C(0);
      case Kind::kAffine: return a * x + b;
      case Kind::kLeakyRelu: return x >= C(0) ? x : a * x;
      case Kind::kThresholdedRelu: return x > a ? x : C(0);
      case Kind::kScaledTanh: return a * std::tanh(b * x);
      case Kind::kHardSigmoid: return std::min(C(1), std::max(C(0), a * x + b));
      case Kind::kElu: return x >= C(0) ? x : a * (std::exp(x) - C(1));
      case Kind::kSoftsign: return x / (C(1) + std::abs(x));
      case Kind::kSoftplus: return x > C(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
    }
    return x;
  }
};

struct ActivationName {
  std::string_view name;
  Activation::Kind kind;
  std::optional<double> default_alpha;  // set when the function takes an alpha
  std::optional<double> default_beta;   // set when the function takes a beta
};

constexpr ActivationName kActivationNames[] = {
    {"sigmoid", Activation::Kind::kSigmoid, std::nullopt, std::nullopt},
    {"tanh", Activation::Kind::kTanh, std::nullopt, std::nullopt},
    {"relu", Activation::Kind::kRelu, std::nullopt, std::nullopt},
    {"affine", Activation::Kind::kAffine, 1.0, 0.0},
    {"leakyrelu", Activation::Kind::kLeakyRelu, 0.01, std::nullopt},
    {"thresholdedrelu", Activation::Kind::kThresholdedRelu, 1.0, std::nullopt},
    {"scaledtanh", Activation::Kind::kScaledTanh, 1.0, 1.0},
    {"hardsigmoid", Activation::Kind::kHardSigmoid, 0.2, 0.5},
    {"elu", Activation::Kind::kElu, 1.0, std::nullopt},
    {"softsign", Activation::Kind::kSoftsign, std::nullopt, std::nullopt},
    {"softplus", Activation::Kind::kSoftplus, std::nullopt, std::nullopt},
};

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// Reads activations / activation_alpha / activation_beta: `per_direction` functions per direction
// (a list for one direction is reused for both of a bidirectional op). Alphas and betas are taken
// in order by the functions that use them; a function finding the list exhausted uses its default.
Result<std::vector<Activation>> ReadActivations(const Node& node, size_t per_direction, size_t directions,
                                                std::span<const std::string_view> defaults) {
  std::vector<std::string> names;
  if (const Attribute* attribute = node.attribute("activations")) {
    for (const std::string& name : attribute->strings()) names.push_back(name);
  }
  if (names.empty()) {
    for (size_t d = 0; d < directions; ++d)
      for (std::string_view name : defaults) names.emplace_back(name);
  } else if (names.size() == per_direction && directions == 2) {
    for (size_t i = 0; i < per_direction; ++i) names.push_back(names[i]);
  }
  if (names.size() != per_direction * directions)
    return Status::Error("activations has {} functions, expected {} ({} per direction)", names.size(),
                         per_direction * directions, per_direction);
  std::vector<float> alphas = node.getFloats("activation_alpha").value_or(std::vector<float>{});
  std::vector<float> betas = node.getFloats("activation_beta").value_or(std::vector<float>{});
  size_t next_alpha = 0;
  size_t next_beta = 0;
  std::vector<Activation> activations;
  for (const std::string& name : names) {
    std::string lower = Lower(name);
    const ActivationName* found = nullptr;
    for (const ActivationName& candidate : kActivationNames)
      if (candidate.name == lower) found = &candidate;
    if (!found) return Status::Error("unsupported activation function '{}'", name);
    Activation activation;
    activation.kind = found->kind;
    if (found->default_alpha)
      activation.alpha = next_alpha < alphas.size() ? alphas[next_alpha++] : *found->default_alpha;
    if (found->default_beta)
      activation.beta = next_beta < betas.size() ? betas[next_beta++] : *found->default_beta;
    activations.push_back(activation);
  }
  return activations;
}

// Output i, or `scratch` when the node lists fewer outputs (the state is computed either way).
Result<Tensor*> OutputOrScratch(KernelContext& context, size_t i, DataType type, const Shape& shape, Tensor& scratch) {
  if (i < context.outputCount()) return context.allocateOutput(i, type, shape);
  ONNXKIT_ASSIGN_OR_RETURN(scratch, Tensor::Allocate(type, shape));
  return &scratch;
}

class Recurrent : public Kernel {
 public:
  explicit Recurrent(CellKind kind) : kind_(kind) {}

  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    std::string direction = node.getString("direction", "forward");
    if (direction == "forward") {
      directions_ = 1;
    } else if (direction == "reverse") {
      directions_ = 1;
      reverse_only_ = true;
    } else if (direction == "bidirectional") {
      directions_ = 2;
    } else {
      return Status::Error("direction must be forward, reverse or bidirectional, got '{}'", direction);
    }
    hidden_size_ = node.getInt("hidden_size", 0);
    if (node.hasAttribute("hidden_size") && (hidden_size_ <= 0 || hidden_size_ > (int64_t{1} << 32)))
      return Status::Error("hidden_size must be positive (and sensible), got {}", hidden_size_);
    if (const Attribute* clip = node.attribute("clip")) {
      if (!(clip->f() > 0)) return Status::Error("clip must be positive, got {}", clip->f());
      clip_ = clip->f();
    }
    layout_ = info.opset >= 14 ? node.getInt("layout", 0) : 0;
    if (layout_ != 0 && layout_ != 1) return Status::Error("layout must be 0 or 1, got {}", layout_);
    static constexpr std::string_view kLstmDefaults[] = {"Sigmoid", "Tanh", "Tanh"};
    static constexpr std::string_view kGruDefaults[] = {"Sigmoid", "Tanh"};
    static constexpr std::string_view kRnnDefaults[] = {"Tanh"};
    std::span<const std::string_view> defaults;
    switch (kind_) {
      case CellKind::kLstm:
        gates_ = 4;
        defaults = kLstmDefaults;
        input_forget_ = node.getInt("input_forget", 0) != 0;
        break;
      case CellKind::kGru:
        gates_ = 3;
        defaults = kGruDefaults;
        // GRU-1 has no linear_before_reset (its equations are those of linear_before_reset = 0).
        linear_before_reset_ = info.opset >= 3 && node.getInt("linear_before_reset", 0) != 0;
        break;
      case CellKind::kRnn:
        gates_ = 1;
        defaults = kRnnDefaults;
        break;
    }
    ONNXKIT_ASSIGN_OR_RETURN(activations_, ReadActivations(node, defaults.size(), directions_, defaults));
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    return DispatchAmong<DataType::kFloat, DataType::kDouble, DataType::kFloat16>(
        x->dtype(), context.node().opType(), [&]<typename T>() { return compute<T>(context); });
  }

 private:
  // Shapes and sizes of one run, validated.
  struct Dims {
    int64_t seq = 0, batch = 0, input = 0, hidden = 0;
  };

  // A copy of an optional input in the compute type (zeros when absent), after checking its shape.
  template <typename T>
  static Result<std::vector<ComputeType<T>>> Load(const Tensor* tensor, DataType type, const Shape& expected,
                                                  std::string_view what) {
    using C = ComputeType<T>;
    std::vector<C> values(static_cast<size_t>(ProductOf(expected, 0, expected.size())), C(0));
    if (!tensor) return values;
    if (tensor->dtype() != type)
      return Status::Error("{} has type {}, expected {}", what, DataTypeName(tensor->dtype()), DataTypeName(type));
    if (tensor->shape() != expected)
      return Status::Error("{} has shape [{}], expected [{}]", what, ShapeToString(tensor->shape()),
                           ShapeToString(expected));
    const T* data = tensor->data<T>();
    for (size_t i = 0; i < values.size(); ++i) values[i] = ToCompute(data[i]);
    return values;
  }

  template <typename T>
  Status compute(KernelContext& context) {
    using C = ComputeType<T>;
    const Tensor* x = context.input(0);
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* w, context.requiredInput(1));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* r, context.requiredInput(2));
    const Tensor* b = context.input(3);
    const Tensor* sequence_lens = context.input(4);
    const Tensor* initial_h = context.input(5);
    const Tensor* initial_c = kind_ == CellKind::kLstm ? context.input(6) : nullptr;
    const Tensor* peepholes = kind_ == CellKind::kLstm ? context.input(7) : nullptr;
    DataType type = x->dtype();

    if (x->rank() != 3) return Status::Error("X must be 3-D, got {}", DescribeTensor(*x));
    if (w->rank() != 3) return Status::Error("W must be 3-D, got {}", DescribeTensor(*w));
    if (r->rank() != 3) return Status::Error("R must be 3-D, got {}", DescribeTensor(*r));
    if (w->dtype() != type || r->dtype() != type)
      return Status::Error("X, W and R must have the same type, got {}, {} and {}", DataTypeName(type),
                           DataTypeName(w->dtype()), DataTypeName(r->dtype()));
    Dims dims;
    dims.seq = layout_ == 0 ? x->dim(0) : x->dim(1);
    dims.batch = layout_ == 0 ? x->dim(1) : x->dim(0);
    dims.input = x->dim(2);
    dims.hidden = hidden_size_ > 0 ? hidden_size_ : r->dim(2);
    if (dims.hidden <= 0) return Status::Error("hidden size must be positive, R is {}", DescribeTensor(*r));
    const int64_t dirs = directions_;
    const int64_t rows = gates_ * dims.hidden;
    if (w->shape() != Shape{dirs, rows, dims.input})
      return Status::Error("W has shape [{}], expected [{},{},{}]", ShapeToString(w->shape()), dirs, rows, dims.input);
    if (r->shape() != Shape{dirs, rows, dims.hidden})
      return Status::Error("R has shape [{}], expected [{},{},{}]", ShapeToString(r->shape()), dirs, rows,
                           dims.hidden);

    // Sequence lengths.
    std::vector<int64_t> lengths(static_cast<size_t>(dims.batch), dims.seq);
    if (sequence_lens) {
      if (sequence_lens->dtype() != DataType::kInt32 && sequence_lens->dtype() != DataType::kInt64)
        return Status::Error("sequence_lens must be int32, got {}", DataTypeName(sequence_lens->dtype()));
      if (sequence_lens->shape() != Shape{dims.batch})
        return Status::Error("sequence_lens has shape [{}], expected [{}]", ShapeToString(sequence_lens->shape()),
                             dims.batch);
      for (int64_t i = 0; i < dims.batch; ++i) {
        int64_t length = sequence_lens->elementAsInt64(i);
        if (length < 0 || length > dims.seq)
          return Status::Error("sequence_lens[{}] = {} is out of range [0, {}]", i, length, dims.seq);
        lengths[static_cast<size_t>(i)] = length;
      }
    }

    // Outputs, allocated first: that checks the sizes of the state against the memory limit.
    const Shape state_shape =
        layout_ == 0 ? Shape{dirs, dims.batch, dims.hidden} : Shape{dims.batch, dirs, dims.hidden};
    const Shape y_shape = layout_ == 0 ? Shape{dims.seq, dirs, dims.batch, dims.hidden}
                                       : Shape{dims.batch, dims.seq, dirs, dims.hidden};
    Tensor scratch_y, scratch_h, scratch_c;
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, OutputOrScratch(context, 0, type, y_shape, scratch_y));
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y_h, OutputOrScratch(context, 1, type, state_shape, scratch_h));
    Tensor* y_c = nullptr;
    if (kind_ == CellKind::kLstm) {
      ONNXKIT_ASSIGN_OR_RETURN(y_c, OutputOrScratch(context, 2, type, state_shape, scratch_c));
    }

    // Parameters in the compute type.
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<C> wv, Load<T>(w, type, w->shape(), "W"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<C> rv, Load<T>(r, type, r->shape(), "R"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<C> bv, Load<T>(b, type, Shape{dirs, 2 * rows}, "B"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<C> h0, Load<T>(initial_h, type, state_shape, "initial_h"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<C> c0, Load<T>(initial_c, type, state_shape, "initial_c"));
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<C> pv, Load<T>(peepholes, type, Shape{dirs, 3 * dims.hidden}, "P"));

    T* y_data = y->mutableData<T>();
    std::fill(y_data, y_data + y->elementCount(), FromCompute<T>(C(0)));

    // Index helpers for the layouts.
    auto x_offset = [&](int64_t t, int64_t batch) {
      return (layout_ == 0 ? t * dims.batch + batch : batch * dims.seq + t) * dims.input;
    };
    auto y_offset = [&](int64_t t, int64_t d, int64_t batch) {
      return (layout_ == 0 ? (t * dirs + d) * dims.batch + batch : (batch * dims.seq + t) * dirs + d) * dims.hidden;
    };
    auto state_offset = [&](int64_t d, int64_t batch) {
      return (layout_ == 0 ? d * dims.batch + batch : batch * dirs + d) * dims.hidden;
    };

    const T* x_data = x->data<T>();
    const size_t hidden = static_cast<size_t>(dims.hidden);
    std::vector<C> xin(static_cast<size_t>(dims.input));
    std::vector<C> h(hidden), c(hidden), h_next(hidden), c_next(hidden);
    std::vector<C> xw(static_cast<size_t>(rows)), hr(static_cast<size_t>(rows)), scratch(hidden);
    const size_t per_direction = activations_.size() / static_cast<size_t>(dirs);

    for (int64_t d = 0; d < dirs; ++d) {
      const bool reverse = reverse_only_ || d == 1;
      const C* wd = wv.data() + d * rows * dims.input;
      const C* rd = rv.data() + d * rows * dims.hidden;
      const C* wb = bv.data() + d * 2 * rows;
      const C* rb = wb + rows;
      const C* pd = pv.data() + d * 3 * dims.hidden;
      const Activation* act = activations_.data() + static_cast<size_t>(d) * per_direction;
      for (int64_t batch = 0; batch < dims.batch; ++batch) {
        const int64_t length = lengths[static_cast<size_t>(batch)];
        const int64_t so = state_offset(d, batch);
        std::copy_n(h0.begin() + so, hidden, h.begin());
        std::copy_n(c0.begin() + so, hidden, c.begin());
        for (int64_t step = 0; step < length; ++step) {
          const int64_t t = reverse ? length - 1 - step : step;
          for (int64_t k = 0; k < dims.input; ++k)
            xin[static_cast<size_t>(k)] = ToCompute(x_data[x_offset(t, batch) + k]);
          // xw = W x + Wb (+ Rb except for the GRU hidden gate); hr = R h (not for the GRU hidden gate).
          for (int64_t row = 0; row < rows; ++row) {
            C sum = wb[row];
            const C* wrow = wd + row * dims.input;
            for (int64_t k = 0; k < dims.input; ++k) sum += wrow[k] * xin[static_cast<size_t>(k)];
            xw[static_cast<size_t>(row)] = sum;
            C rsum = rb[row];
            const C* rrow = rd + row * dims.hidden;
            for (int64_t k = 0; k < dims.hidden; ++k) rsum += rrow[k] * h[static_cast<size_t>(k)];
            hr[static_cast<size_t>(row)] = rsum;
          }
          step_cell<C>(act, rd, rb, pd, h, c, xw, hr, scratch, h_next, c_next);
          std::swap(h, h_next);
          std::swap(c, c_next);
          const int64_t yo = y_offset(t, d, batch);
          for (size_t j = 0; j < hidden; ++j) y_data[yo + static_cast<int64_t>(j)] = FromCompute<T>(h[j]);
        }
        T* yh = y_h->mutableData<T>() + so;
        for (size_t j = 0; j < hidden; ++j) yh[j] = FromCompute<T>(h[j]);
        if (y_c) {
          T* yc = y_c->mutableData<T>() + so;
          for (size_t j = 0; j < hidden; ++j) yc[j] = FromCompute<T>(c[j]);
        }
      }
    }
    return Status::Ok();
  }

  template <typename C>
  C clip(C value) const {
    if (!clip_) return value;
    C bound = static_cast<C>(*clip_);
    return std::min(bound, std::max(-bound, value));
  }

  // One time step of one sequence. xw holds W x + Wb, hr holds R h + Rb, row-wise per gate.
  template <typename C>
  void step_cell(const Activation* act, const C* rd, const C* rb, const C* pd, const std::vector<C>& h,
                 const std::vector<C>& c, const std::vector<C>& xw, const std::vector<C>& hr, std::vector<C>& scratch,
                 std::vector<C>& h_next, std::vector<C>& c_next) const {
    const size_t n = h.size();
    switch (kind_) {
      case CellKind::kLstm: {
        // Gate order i, o, f, c; P order i, o, f.
        const Activation& f = act[0];
        const Activation& g = act[1];
        const Activation& hact = act[2];
        for (size_t j = 0; j < n; ++j) {
          C gi = f(clip(xw[j] + hr[j] + pd[j] * c[j]));
          C gf = input_forget_ ? C(1) - gi : f(clip(xw[2 * n + j] + hr[2 * n + j] + pd[2 * n + j] * c[j]));
          C gc = g(clip(xw[3 * n + j] + hr[3 * n + j]));
          C cell = gf * c[j] + gi * gc;
          C go = f(clip(xw[n + j] + hr[n + j] + pd[n + j] * cell));
          c_next[j] = cell;
          h_next[j] = go * hact(cell);
        }
        break;
      }
      case CellKind::kGru: {
        // Gate order z, r, h.
        const Activation& f = act[0];
        const Activation& g = act[1];
        const C* rh = rd + 2 * n * n;  // the hidden gate's rows of R
        for (size_t j = 0; j < n; ++j) scratch[j] = f(clip(xw[n + j] + hr[n + j]));  // r
        for (size_t j = 0; j < n; ++j) {
          C z = f(clip(xw[j] + hr[j]));
          C candidate;
          if (linear_before_reset_) {
            candidate = g(clip(xw[2 * n + j] + scratch[j] * hr[2 * n + j]));
          } else {
            // (r (.) h) Rh^T + Rbh
            C sum = rb[2 * n + j];
            const C* row = rh + j * n;
            for (size_t k = 0; k < n; ++k) sum += row[k] * (scratch[k] * h[k]);
            candidate = g(clip(xw[2 * n + j] + sum));
          }
          h_next[j] = (C(1) - z) * candidate + z * h[j];
        }
        break;
      }
      case CellKind::kRnn: {
        for (size_t j = 0; j < n; ++j) h_next[j] = act[0](clip(xw[j] + hr[j]));
        break;
      }
    }
  }

  CellKind kind_;
  int64_t directions_ = 1;
  bool reverse_only_ = false;
  int64_t hidden_size_ = 0;
  std::optional<float> clip_;
  int64_t layout_ = 0;
  int64_t gates_ = 1;
  bool input_forget_ = false;
  bool linear_before_reset_ = false;
  std::vector<Activation> activations_;
};

template <CellKind Kind>
class RecurrentOf : public Recurrent {
 public:
  RecurrentOf() : Recurrent(Kind) {}
};

const std::vector<DataType> kRecurrentTypes = {DataType::kFloat, DataType::kDouble, DataType::kFloat16};

// Versions: GRU-3 adds linear_before_reset; opset 7 drops output_sequence (Y is produced whenever it
// is requested, in every version); opset 14 adds layout.
const KernelRegistration kKernels[] = {
    {"", "GRU", 1, 2, CreateKernel<RecurrentOf<CellKind::kGru>>, kRecurrentTypes},
    {"", "GRU", 3, 6, CreateKernel<RecurrentOf<CellKind::kGru>>, kRecurrentTypes},
    {"", "GRU", 7, 13, CreateKernel<RecurrentOf<CellKind::kGru>>, kRecurrentTypes},
    {"", "GRU", 14, kLatestOpset, CreateKernel<RecurrentOf<CellKind::kGru>>, kRecurrentTypes},
    {"", "LSTM", 1, 6, CreateKernel<RecurrentOf<CellKind::kLstm>>, kRecurrentTypes},
    {"", "LSTM", 7, 13, CreateKernel<RecurrentOf<CellKind::kLstm>>, kRecurrentTypes},
    {"", "LSTM", 14, kLatestOpset, CreateKernel<RecurrentOf<CellKind::kLstm>>, kRecurrentTypes},
    {"", "RNN", 1, 6, CreateKernel<RecurrentOf<CellKind::kRnn>>, kRecurrentTypes},
    {"", "RNN", 7, 13, CreateKernel<RecurrentOf<CellKind::kRnn>>, kRecurrentTypes},
    {"", "RNN", 14, kLatestOpset, CreateKernel<RecurrentOf<CellKind::kRnn>>, kRecurrentTypes},
};

}  // namespace

std::span<const KernelRegistration> RecurrentKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
