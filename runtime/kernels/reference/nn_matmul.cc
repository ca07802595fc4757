// Matrix multiplication kernels: Gemm, MatMul, Einsum, Det.
//
// Products are accumulated in double for the floating-point types (16-bit floats included) and in
// uint64 for the integers (wrapping modulo 2^64, then converted to the element type, which is the
// two's-complement wrap numpy gives), and rounded to the element type once at the end.
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
// Accumulation

template <typename T>
using Acc = std::conditional_t<std::is_integral_v<T>, uint64_t, double>;

template <typename T>
Acc<T> ToAcc(T value) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<uint64_t>(static_cast<int64_t>(value));  // sign-extends, then wraps
  } else {
    return static_cast<double>(ToCompute(value));
  }
}

template <typename T>
T FromAcc(Acc<T> value) {
  if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(value);  // modular conversion
  } else {
    return FromCompute<T>(static_cast<ComputeType<T>>(value));
  }
}

// Row i of op(A) x op(B) into acc[0..N): element (i, k) of op(A) is a[i * a_row + k * a_col] and
// element (k, j) of op(B) is b[k * b_row + j * b_col]. The loop order follows B's layout so that
// the inner loop walks contiguous memory.
template <typename T>
void MatMulRow(const T* a, int64_t a_row, int64_t a_col, const T* b, int64_t b_row, int64_t b_col, int64_t i,
               int64_t K, int64_t N, Acc<T>* acc) {
  const T* a_i = a + i * a_row;
  if (b_col == 1) {
    std::fill(acc, acc + N, Acc<T>(0));
    for (int64_t k = 0; k < K; ++k) {
      Acc<T> a_ik = ToAcc(a_i[k * a_col]);
      const T* b_k = b + k * b_row;
      for (int64_t j = 0; j < N; ++j) acc[j] += a_ik * ToAcc(b_k[j]);
    }
  } else {
    for (int64_t j = 0; j < N; ++j) {
      const T* b_j = b + j * b_col;
      Acc<T> sum = 0;
      for (int64_t k = 0; k < K; ++k) sum += ToAcc(a_i[k * a_col]) * ToAcc(b_j[k * b_row]);
      acc[j] = sum;
    }
  }
}

Status SameTypes(const Tensor& a, const Tensor& b, std::string_view what) {
  if (a.dtype() != b.dtype())
    return Status::Error("{} has type {} but the first input has type {}", what, DataTypeName(b.dtype()),
                         DataTypeName(a.dtype()));
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Gemm: Y = alpha * op(A) * op(B) + beta * C

class Gemm : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    opset_ = info.opset;
    trans_a_ = node.getInt("transA", 0);
    trans_b_ = node.getInt("transB", 0);
    alpha_ = node.getFloat("alpha", 1.0f);
    beta_ = node.getFloat("beta", 1.0f);
    broadcast_ = node.getInt("broadcast", 0);
    if (trans_a_ != 0 && trans_a_ != 1) return Status::Error("transA must be 0 or 1, got {}", trans_a_);
    if (trans_b_ != 0 && trans_b_ != 1) return Status::Error("transB must be 0 or 1, got {}", trans_b_);
    if (opset_ <= 6 && broadcast_ != 0 && broadcast_ != 1)
      return Status::Error("broadcast must be 0 or 1, got {}", broadcast_);
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b, context.requiredInput(1));
    const Tensor* c = context.input(2);
    if (!c && opset_ < 11) return Status::Error("input 2 (C) is required before opset 11");
    ONNXKIT_RETURN_IF_ERROR(SameTypes(*a, *b, "input 1 (B)"));
    if (c) ONNXKIT_RETURN_IF_ERROR(SameTypes(*a, *c, "input 2 (C)"));
    if (a->rank() != 2) return Status::Error("input 0 (A) must be 2-D, got shape [{}]", ShapeToString(a->shape()));
    if (b->rank() != 2) return Status::Error("input 1 (B) must be 2-D, got shape [{}]", ShapeToString(b->shape()));
    int64_t M = trans_a_ ? a->dim(1) : a->dim(0);
    int64_t K = trans_a_ ? a->dim(0) : a->dim(1);
    int64_t KB = trans_b_ ? b->dim(1) : b->dim(0);
    int64_t N = trans_b_ ? b->dim(0) : b->dim(1);
    if (K != KB)
      return Status::Error(
          "inner dimensions differ: op(A) is {}x{} and op(B) is {}x{} (A [{}], B [{}], transA={}, transB={})", M, K, KB,
          N, ShapeToString(a->shape()), ShapeToString(b->shape()), trans_a_, trans_b_);
    Shape out_shape = {M, N};
    // C broadcasts unidirectionally to [M, N]; before opset 7 only when broadcast=1.
    int64_t c_row = 0, c_col = 0;
    if (c) {
      const Shape& cs = c->shape();
      bool exact = cs == out_shape;
      if (opset_ <= 6 && broadcast_ == 0 && !exact)
        return Status::Error("input 2 (C) has shape [{}] but must be [{}] when broadcast=0",
                             ShapeToString(cs), ShapeToString(out_shape));
      if (cs.size() > 2)
        return Status::Error("input 2 (C) of shape [{}] cannot be broadcast to [{}]", ShapeToString(cs),
                             ShapeToString(out_shape));
      int64_t rows = cs.size() == 2 ? cs[0] : 1;
      int64_t cols = cs.empty() ? 1 : cs.back();
      if ((rows != 1 && rows != M) || (cols != 1 && cols != N))
        return Status::Error("input 2 (C) of shape [{}] cannot be broadcast to [{}]", ShapeToString(cs),
                             ShapeToString(out_shape));
      c_row = rows == 1 ? 0 : cols;
      c_col = cols == 1 ? 0 : 1;
    }
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, a->dtype(), out_shape));
    return DispatchNumeric(a->dtype(), "Gemm", [&]<typename T>() -> Status {
      Compute<T>(*a, *b, c, c_row, c_col, M, K, N, *y);
      return Status::Ok();
    });
  }

 private:
  template <typename T>
  void Compute(const Tensor& a, const Tensor& b, const Tensor* c, int64_t c_row, int64_t c_col, int64_t M,
               int64_t K, int64_t N, Tensor& y) const {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    const T* pc = c ? c->data<T>() : nullptr;
    T* py = y.mutableData<T>();
    int64_t a_row = trans_a_ ? 1 : K, a_col = trans_a_ ? M : 1;
    int64_t b_row = trans_b_ ? 1 : N, b_col = trans_b_ ? K : 1;
    std::vector<Acc<T>> acc(static_cast<size_t>(N));
    if constexpr (std::is_integral_v<T>) {
      // Whole-number alpha/beta keep integer arithmetic exact (modulo the type); others go through
      // double and saturate.
      bool whole = std::nearbyint(alpha_) == alpha_ && std::nearbyint(beta_) == beta_ && std::fabs(alpha_) < 9e18f &&
                   std::fabs(beta_) < 9e18f;
      uint64_t alpha_i = whole ? static_cast<uint64_t>(static_cast<int64_t>(alpha_)) : 0;
      uint64_t beta_i = whole ? static_cast<uint64_t>(static_cast<int64_t>(beta_)) : 0;
      for (int64_t i = 0; i < M; ++i) {
        MatMulRow<T>(pa, a_row, a_col, pb, b_row, b_col, i, K, N, acc.data());
        for (int64_t j = 0; j < N; ++j) {
          T cv = pc ? pc[i * c_row + j * c_col] : T(0);
          if (whole) {
            py[i * N + j] = static_cast<T>(alpha_i * acc[j] + beta_i * ToAcc(cv));
          } else {
            double v = static_cast<double>(alpha_) * static_cast<double>(static_cast<T>(acc[j])) +
                       static_cast<double>(beta_) * static_cast<double>(cv);
            py[i * N + j] = SaturatingCast<T>(v);
          }
        }
      }
    } else {
      double alpha = alpha_, beta = beta_;
      for (int64_t i = 0; i < M; ++i) {
        MatMulRow<T>(pa, a_row, a_col, pb, b_row, b_col, i, K, N, acc.data());
        for (int64_t j = 0; j < N; ++j) {
          double v = alpha * acc[j];
          // With beta = 0, C is not read (as in BLAS), so infinities in C do not turn into NaN.
          if (pc && beta != 0.0) v += beta * static_cast<double>(ToCompute(pc[i * c_row + j * c_col]));
          py[i * N + j] = FromAcc<T>(v);
        }
      }
    }
  }

  template <typename T>
  static T SaturatingCast(double v) {
    if (std::isnan(v)) return T(0);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }

  int64_t opset_ = 0;
  int64_t trans_a_ = 0, trans_b_ = 0, broadcast_ = 0;
  float alpha_ = 1.0f, beta_ = 1.0f;
};

// ---------------------------------------------------------------------------------------------
// MatMul: numpy matmul semantics (1-D operands promoted, leading dimensions broadcast).

template <typename T>
void BatchedMatMul(const Tensor& a, const Tensor& b, const Shape& a_batch, const Shape& b_batch,
                   const Shape& out_batch, int64_t M, int64_t K, int64_t N, Tensor& y) {
  const T* pa = a.data<T>();
  const T* pb = b.data<T>();
  T* py = y.mutableData<T>();
  std::vector<Acc<T>> acc(static_cast<size_t>(N));
  Shape batches[] = {a_batch, b_batch};
  BroadcastWalker(out_batch, batches).forEach([&](int64_t out, std::span<const int64_t> offsets) {
    const T* ma = pa + offsets[0] * M * K;
    const T* mb = pb + offsets[1] * K * N;
    T* my = py + out * M * N;
    for (int64_t i = 0; i < M; ++i) {
      MatMulRow<T>(ma, K, 1, mb, N, 1, i, K, N, acc.data());
      for (int64_t j = 0; j < N; ++j) my[i * N + j] = FromAcc<T>(acc[j]);
    }
  });
}

Status MatMul(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b, context.requiredInput(1));
  ONNXKIT_RETURN_IF_ERROR(SameTypes(*a, *b, "input 1 (B)"));
  if (a->rank() == 0 || b->rank() == 0)
    return Status::Error("MatMul inputs must have rank >= 1, got shapes [{}] and [{}]", ShapeToString(a->shape()),
                         ShapeToString(b->shape()));
  // Promote 1-D operands: A [K] -> [1, K], B [K] -> [K, 1]; the added dimension is dropped again.
  Shape as = a->shape(), bs = b->shape();
  bool a_vector = as.size() == 1, b_vector = bs.size() == 1;
  if (a_vector) as.insert(as.begin(), 1);
  if (b_vector) bs.push_back(1);
  int64_t M = as[as.size() - 2], K = as.back();
  int64_t KB = bs[bs.size() - 2], N = bs.back();
  if (K != KB)
    return Status::Error("inner dimensions differ: A has shape [{}] and B has shape [{}]", ShapeToString(a->shape()),
                         ShapeToString(b->shape()));
  Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
  auto out_batch_or = BroadcastShapes(a_batch, b_batch);
  if (!out_batch_or.ok())
    return Status::Error("the batch dimensions of A [{}] and B [{}] do not broadcast", ShapeToString(a->shape()),
                         ShapeToString(b->shape()));
  Shape out_batch = std::move(out_batch_or).value();
  Shape out_shape = out_batch;
  if (!a_vector) out_shape.push_back(M);
  if (!b_vector) out_shape.push_back(N);
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, a->dtype(), out_shape));
  return DispatchNumeric(a->dtype(), "MatMul", [&]<typename T>() -> Status {
    BatchedMatMul<T>(*a, *b, a_batch, b_batch, out_batch, M, K, N, *y);
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Einsum

// A parsed equation: for each operand and the output, the label of every axis. Letters are labels
// 0..51; the axes an ellipsis stands for get labels 52.. aligned to the right (numpy broadcasting).
struct EinsumPlan {
  std::vector<std::vector<int>> operand_labels;
  std::vector<int> output_labels;
  std::vector<int64_t> label_dims;  // size per label (-1: unused)
};

constexpr int kLetterLabels = 52;

int LetterLabel(char ch) {
  if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;  // ASCII order: upper case sorts first
  if (ch >= 'A' && ch <= 'Z') return ch - 'A';
  return -1;
}

char LabelLetter(int label) {
  return label < 26 ? static_cast<char>('A' + label) : static_cast<char>('a' + label - 26);
}

// Splits one term into letters, with the position of "..." (or -1). Rejects anything else.
Status ParseTerm(std::string_view term, std::vector<int>& letters, int& ellipsis_at) {
  ellipsis_at = -1;
  for (size_t i = 0; i < term.size();) {
    char ch = term[i];
    if (ch == '.') {
      if (term.substr(i, 3) != "...") return Status::Error("equation term '{}' has a '.' outside an ellipsis", term);
      if (ellipsis_at >= 0) return Status::Error("equation term '{}' has more than one ellipsis", term);
      ellipsis_at = static_cast<int>(letters.size());
      i += 3;
      continue;
    }
    int label = LetterLabel(ch);
    if (label < 0) return Status::Error("equation term '{}' has an invalid character '{}'", term, ch);
    letters.push_back(label);
    ++i;
  }
  return Status::Ok();
}

Result<EinsumPlan> PlanEinsum(const std::string& raw_equation, std::span<const Tensor* const> inputs) {
  std::string equation;
  for (char ch : raw_equation)
    if (ch != ' ' && ch != '\t' && ch != '\n') equation += ch;
  std::string lhs = equation, rhs;
  bool explicit_output = false;
  if (size_t arrow = equation.find("->"); arrow != std::string::npos) {
    lhs = equation.substr(0, arrow);
    rhs = equation.substr(arrow + 2);
    explicit_output = true;
    if (rhs.find("->") != std::string::npos) return Status::Error("equation '{}' has more than one '->'", raw_equation);
  }
  std::vector<std::string> terms;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    terms.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (terms.size() != inputs.size())
    return Status::Error("equation '{}' has {} operand terms but the node has {} inputs", raw_equation, terms.size(),
                         inputs.size());

  // Ellipsis rank: the largest number of axes any operand's ellipsis covers.
  size_t n = inputs.size();
  std::vector<std::vector<int>> letters(n);
  std::vector<int> ellipsis_at(n);
  std::vector<int64_t> ellipsis_rank(n, 0);
  int64_t max_ellipsis = 0;
  for (size_t i = 0; i < n; ++i) {
    ONNXKIT_RETURN_IF_ERROR(ParseTerm(terms[i], letters[i], ellipsis_at[i]));
    int64_t rank = static_cast<int64_t>(inputs[i]->rank());
    int64_t named = static_cast<int64_t>(letters[i].size());
    if (ellipsis_at[i] < 0 ? rank != named : rank < named)
      return Status::Error("equation term '{}' does not match input {} of shape [{}]", terms[i], i,
                           ShapeToString(inputs[i]->shape()));
    ellipsis_rank[i] = ellipsis_at[i] < 0 ? 0 : rank - named;
    max_ellipsis = std::max(max_ellipsis, ellipsis_rank[i]);
  }

  EinsumPlan plan;
  plan.label_dims.assign(static_cast<size_t>(kLetterLabels + max_ellipsis), -1);
  std::vector<int> occurrences(plan.label_dims.size(), 0);
  for (size_t i = 0; i < n; ++i) {
    std::vector<int>& labels = plan.operand_labels.emplace_back();
    for (size_t j = 0; j <= letters[i].size(); ++j) {
      if (static_cast<int>(j) == ellipsis_at[i])
        for (int64_t e = 0; e < ellipsis_rank[i]; ++e)
          labels.push_back(static_cast<int>(kLetterLabels + max_ellipsis - ellipsis_rank[i] + e));
      if (j < letters[i].size()) labels.push_back(letters[i][j]);
    }
    // Sizes: equal within an operand (a diagonal), equal or 1 (broadcast) across operands.
    std::vector<int64_t> own(plan.label_dims.size(), -1);
    for (size_t axis = 0; axis < labels.size(); ++axis) {
      int label = labels[axis];
      int64_t dim = inputs[i]->dim(axis);
      if (own[label] >= 0 && own[label] != dim)
        return Status::Error("input {} has sizes {} and {} for the repeated label '{}'", i, own[label], dim,
                             label < kLetterLabels ? std::string(1, LabelLetter(label)) : std::string("..."));
      ++occurrences[label];
      own[label] = dim;
      int64_t& size = plan.label_dims[label];
      if (size < 0 || size == 1) {
        size = dim;
      } else if (dim != size && dim != 1) {
        return Status::Error("label '{}' has size {} in input {} but {} elsewhere",
                             label < kLetterLabels ? std::string(1, LabelLetter(label)) : std::string("..."), dim,
                             i, size);
      }
    }
  }

  if (explicit_output) {
    std::vector<int> out_letters;
    int out_ellipsis = -1;
    ONNXKIT_RETURN_IF_ERROR(ParseTerm(rhs, out_letters, out_ellipsis));
    if (out_ellipsis < 0 && max_ellipsis > 0)
      return Status::Error("equation '{}': the output must contain '...' because the inputs' ellipses cover {} axes",
                           raw_equation, max_ellipsis);
    std::vector<bool> seen(plan.label_dims.size(), false);
    for (size_t j = 0; j <= out_letters.size(); ++j) {
      if (static_cast<int>(j) == out_ellipsis)
        for (int64_t e = 0; e < max_ellipsis; ++e) plan.output_labels.push_back(static_cast<int>(kLetterLabels + e));
      if (j == out_letters.size()) break;
      int label = out_letters[j];
      if (plan.label_dims[label] < 0)
        return Status::Error("equation '{}': output label '{}' does not appear in any input", raw_equation,
                             LabelLetter(label));
      if (seen[label])
        return Status::Error("equation '{}': output label '{}' appears more than once", raw_equation,
                             LabelLetter(label));
      seen[label] = true;
      plan.output_labels.push_back(label);
    }
  } else {
    // Implicit output: the ellipsis axes, then the letters used exactly once, in ASCII order.
    for (int64_t e = 0; e < max_ellipsis; ++e) plan.output_labels.push_back(static_cast<int>(kLetterLabels + e));
    for (int label = 0; label < kLetterLabels; ++label)
      if (occurrences[label] == 1) plan.output_labels.push_back(label);
  }
  return plan;
}

class Einsum : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Attribute* equation = info.node.attribute("equation");
    if (!equation) return Status::Error("missing required attribute 'equation'");
    equation_ = equation->s();
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    std::vector<const Tensor*> inputs;
    for (size_t i = 0; i < context.inputCount(); ++i) {
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* input, context.requiredInput(i));
      if (!inputs.empty()) ONNXKIT_RETURN_IF_ERROR(SameTypes(*inputs[0], *input, fmt::format("input {}", i)));
      inputs.push_back(input);
    }
    if (inputs.empty()) return Status::Error("Einsum needs at least one input");
    ONNXKIT_ASSIGN_OR_RETURN(EinsumPlan plan, PlanEinsum(equation_, inputs));
    Shape out_shape;
    for (int label : plan.output_labels) out_shape.push_back(plan.label_dims[label]);
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, inputs[0]->dtype(), out_shape));
    return DispatchNumeric(inputs[0]->dtype(), "Einsum", [&]<typename T>() -> Status {
      Compute<T>(plan, inputs, *y);
      return Status::Ok();
    });
  }

 private:
  // Walks the output labels (outer) and the summed labels (inner) with an odometer, keeping each
  // operand's offset up to date: an operand's stride for a label is the sum of the strides of its
  // axes with that label (a diagonal), or 0 where the operand broadcasts.
  template <typename T>
  static void Compute(const EinsumPlan& plan, std::span<const Tensor* const> inputs, Tensor& y) {
    std::vector<int> order = plan.output_labels;
    size_t out_rank = order.size();
    for (int label = 0; label < static_cast<int>(plan.label_dims.size()); ++label)
      if (plan.label_dims[label] >= 0 && std::find(order.begin(), order.end(), label) == order.end())
        order.push_back(label);
    size_t n = inputs.size(), rank = order.size();
    std::vector<int64_t> dims(rank);
    for (size_t d = 0; d < rank; ++d) dims[d] = plan.label_dims[order[d]];
    // strides[d * n + i]: operand i's step for loop dimension d.
    std::vector<int64_t> strides(rank * n, 0);
    for (size_t i = 0; i < n; ++i) {
      std::vector<int64_t> axis_strides = Strides(inputs[i]->shape());
      for (size_t axis = 0; axis < plan.operand_labels[i].size(); ++axis) {
        if (inputs[i]->dim(axis) == 1) continue;  // broadcast (or a size-1 label): no step
        auto position = std::find(order.begin(), order.end(), plan.operand_labels[i][axis]);
        size_t d = static_cast<size_t>(position - order.begin());
        strides[d * n + i] += axis_strides[axis];
      }
    }
    int64_t out_count = ProductOf(dims, 0, out_rank);
    int64_t sum_count = ProductOf(dims, out_rank, rank);
    T* py = y.mutableData<T>();
    std::vector<const T*> data(n);
    for (size_t i = 0; i < n; ++i) data[i] = inputs[i]->data<T>();
    std::vector<int64_t> index(rank, 0), offsets(n, 0);
    auto advance = [&](size_t begin, size_t end) {
      for (size_t d = end; d-- > begin;) {
        if (++index[d] < dims[d]) {
          for (size_t i = 0; i < n; ++i) offsets[i] += strides[d * n + i];
          return;
        }
        for (size_t i = 0; i < n; ++i) offsets[i] -= strides[d * n + i] * (dims[d] - 1);
        index[d] = 0;
      }
    };
    for (int64_t out = 0; out < out_count; ++out) {
      Acc<T> sum = 0;
      for (int64_t s = 0; s < sum_count; ++s) {
        Acc<T> product = 1;
        for (size_t i = 0; i < n; ++i) product *= ToAcc(data[i][offsets[i]]);
        sum += product;
        advance(out_rank, rank);  // wraps back to all-zero summed indices after the last one
      }
      py[out] = FromAcc<T>(sum);
      advance(0, out_rank);
    }
  }

  std::string equation_;
};

// ---------------------------------------------------------------------------------------------
// Det: determinant of the trailing square matrices, by LU decomposition with partial pivoting.

Status Det(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  if (x->rank() < 2 || x->dim(x->rank() - 1) != x->dim(x->rank() - 2))
    return Status::Error("input must have shape [*, M, M], got [{}]", ShapeToString(x->shape()));
  int64_t m = x->dim(x->rank() - 1);
  Shape out_shape(x->shape().begin(), x->shape().end() - 2);
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), out_shape));
  return DispatchFloat(x->dtype(), "Det", [&]<typename T>() -> Status {
    const T* px = x->data<T>();
    T* py = y->mutableData<T>();
    std::vector<double> lu(static_cast<size_t>(m * m));
    for (int64_t batch = 0; batch < y->elementCount(); ++batch) {
      const T* matrix = px + batch * m * m;
      for (int64_t i = 0; i < m * m; ++i) lu[i] = static_cast<double>(ToCompute(matrix[i]));
      double det = 1.0;
      for (int64_t col = 0; col < m; ++col) {
        int64_t pivot = col;
        for (int64_t row = col + 1; row < m; ++row)
          if (std::fabs(lu[row * m + col]) > std::fabs(lu[pivot * m + col])) pivot = row;
        if (lu[pivot * m + col] == 0.0) {
          det = 0.0;
          break;
        }
        if (pivot != col) {
          for (int64_t k = 0; k < m; ++k) std::swap(lu[pivot * m + k], lu[col * m + k]);
          det = -det;
        }
        double diagonal = lu[col * m + col];
        det *= diagonal;
        for (int64_t row = col + 1; row < m; ++row) {
          double factor = lu[row * m + col] / diagonal;
          if (factor == 0.0) continue;
          for (int64_t k = col + 1; k < m; ++k) lu[row * m + k] -= factor * lu[col * m + k];
        }
      }
      py[batch] = FromCompute<T>(static_cast<ComputeType<T>>(det));
    }
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------

const std::vector<DataType> kFloats = {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16};
const std::vector<DataType> kFloatsAndWideIntegers = {DataType::kFloat, DataType::kDouble,  DataType::kFloat16,
                                                      DataType::kBfloat16, DataType::kInt32, DataType::kInt64,
                                                      DataType::kUint32, DataType::kUint64};
const std::vector<DataType> kNumeric = {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kBfloat16,
                                        DataType::kInt8,  DataType::kUint8,  DataType::kInt16,   DataType::kUint16,
                                        DataType::kInt32, DataType::kUint32, DataType::kInt64,   DataType::kUint64};

const KernelRegistration kKernels[] = {
    {"", "Det", 11, kLatestOpset, Function<Det>(), kFloats},
    {"", "Einsum", 12, kLatestOpset, CreateKernel<Einsum>, kNumeric},
    {"", "Gemm", 1, 8, CreateKernel<Gemm>, kFloats},
    {"", "Gemm", 9, kLatestOpset, CreateKernel<Gemm>, kFloatsAndWideIntegers},
    {"", "MatMul", 1, 8, Function<MatMul>(), kFloats},
    {"", "MatMul", 9, kLatestOpset, Function<MatMul>(), kFloatsAndWideIntegers},
};

}  // namespace

std::span<const KernelRegistration> MatMulKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
