#include "passes/fuse/fuse_layer_normalization.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPass = "fuse-layer-normalization";

// The producer of `value` when it is a node of `graph` with this default-domain op type.
Node* ProducerOf(const Value* value, const Graph& graph, std::string_view op_type) {
  if (!value) return nullptr;
  Node* producer = value->producer();
  if (!producer || producer->owner() != &graph || !producer->is(op_type)) return nullptr;
  return producer;
}

// The only user of `value` when it has exactly one use, in `graph`, and is not a graph output.
Node* OnlyUser(const Value* value, const Graph& graph) {
  if (!value || value->isGraphOutput() || value->uses().size() != 1) return nullptr;
  Node* user = value->uses()[0].user;
  return user->owner() == &graph ? user : nullptr;
}

bool OnlyUsedBy(const Value* value, const Node& user) {
  return value && !value->isGraphOutput() && value->uses().size() == 1 && value->uses()[0].user == &user;
}

// The axes a ReduceMean reduces: the attribute before opset 18, the constant input from 18.
std::optional<std::vector<int64_t>> ReduceAxes(const Node& reduce, int64_t opset) {
  if (reduce.getInt("keepdims", 1) != 1) return std::nullopt;
  if (opset >= 18) {
    if (reduce.hasAttribute("axes")) return std::nullopt;
    TensorPtr axes = ConstantTensor(reduce.input(1));
    if (!axes || axes->dtype() != DataType::kInt64 || axes->rank() != 1 || axes->elementCount() == 0)
      return std::nullopt;
    return axes->ToVector<int64_t>();
  }
  if (reduce.inputCount() > 1) return std::nullopt;
  auto axes = reduce.getInts("axes");
  if (!axes || axes->empty()) return std::nullopt;
  return axes;
}

// k when `axes` are exactly the last k axes of a tensor of rank `rank`. Without a known rank,
// only negative axes can be checked (-k..-1).
std::optional<int64_t> TrailingAxisCount(std::vector<int64_t> axes, std::optional<int64_t> known_rank) {
  int64_t rank = known_rank.value_or(static_cast<int64_t>(axes.size()));
  for (int64_t& axis : axes) {
    if (axis < -rank || axis >= rank || (!known_rank && axis >= 0)) return std::nullopt;
    if (axis < 0) axis += rank;
  }
  std::sort(axes.begin(), axes.end());
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) return std::nullopt;
  int64_t k = static_cast<int64_t>(axes.size());
  for (int64_t i = 0; i < k; ++i)
    if (axes[static_cast<size_t>(i)] != rank - k + i) return std::nullopt;
  return k;
}

// Ops whose output 0 has the shape of input 0.
bool PreservesShape(const Node& node) {
  static const std::set<std::string, std::less<>> kOps = {
      "Abs",     "Cast",       "Ceil",     "Clip",      "Cos",         "Dropout",  "Elu",        "Erf",
      "Exp",     "Floor",      "Gelu",     "HardSigmoid", "HardSwish", "Identity", "LayerNormalization",
      "LeakyRelu", "Log",      "LogSoftmax", "Mish",    "Neg",         "Not",      "Reciprocal", "Relu",
      "Round",   "Selu",       "Sigmoid",  "Sign",      "Sin",         "Softmax",  "Softplus",   "Softsign",
      "Sqrt",    "Tanh"};
  return node.isOnnxDomain() && kOps.count(node.opType()) > 0;
}

// Ops whose output is the multidirectional broadcast of all their inputs (opset >= 8).
bool BroadcastsInputs(const Node& node) {
  static const std::set<std::string, std::less<>> kOps = {"Add", "And", "Div", "Equal", "Greater", "Less", "Max",
                                                          "Mean", "Min", "Mul", "Or", "Pow", "Sub", "Sum", "Where",
                                                          "Xor"};
  return node.isOnnxDomain() && kOps.count(node.opType()) > 0;
}

// The size of dim j of `value` counted from the end (j = 0: the last dim): from its declared
// shape or its constant tensor (1 when the rank is known to be <= j), else from how its producer
// computes it, assuming a valid model: shape-preserving ops pass it through, broadcasting ops
// take any input's size other than 1, MatMul and Gemm by a 2-D weight and Gather from a table
// give the weight's/table's size.
std::optional<int64_t> TrailingDim(const Value* value, int64_t j, int depth) {
  if (!value || depth > 32) return std::nullopt;
  if (TensorPtr tensor = ConstantTensor(value)) {
    int64_t rank = static_cast<int64_t>(tensor->rank());
    return j >= rank ? 1 : tensor->dims()[static_cast<size_t>(rank - 1 - j)];
  }
  if (auto rank = value->rank()) {
    if (j >= *rank) return 1;
    const auto& dim = value->type().tensor_type().shape().dim(static_cast<int>(*rank - 1 - j));
    if (dim.has_dim_value() && dim.dim_value() >= 0) return dim.dim_value();
  }
  const Node* producer = value->producer();
  if (!producer || producer->output(0) != value || !producer->isOnnxDomain()) return std::nullopt;
  if (PreservesShape(*producer)) return TrailingDim(producer->input(0), j, depth + 1);
  if (BroadcastsInputs(*producer)) {
    bool all_known = true;
    for (const Value* input : producer->inputs()) {
      auto dim = TrailingDim(input, j, depth + 1);
      if (dim && *dim != 1) return dim;
      all_known = all_known && dim.has_value();
    }
    if (all_known && producer->inputCount() > 0) return 1;
    return std::nullopt;
  }
  auto rank_of = [](const Value* v) -> std::optional<int64_t> {
    if (TensorPtr tensor = ConstantTensor(v)) return static_cast<int64_t>(tensor->rank());
    return v ? v->rank() : std::nullopt;
  };
  if (producer->is("MatMul") && j == 0 && producer->inputCount() == 2) {
    auto b_rank = rank_of(producer->input(1));
    if (b_rank && *b_rank >= 2) return TrailingDim(producer->input(1), 0, depth + 1);
  }
  if (producer->is("Gemm") && j == 0 && producer->inputCount() >= 2) {
    auto b_rank = rank_of(producer->input(1));
    if (b_rank && *b_rank == 2) return TrailingDim(producer->input(1), producer->getInt("transB", 0) ? 1 : 0, depth + 1);
  }
  if (producer->is("Gather") && producer->inputCount() == 2) {
    auto data_rank = rank_of(producer->input(0));
    int64_t axis = producer->getInt("axis", 0);
    if (data_rank) {
      if (axis < 0) axis += *data_rank;
      if (axis >= 0 && j < *data_rank - 1 - axis) return TrailingDim(producer->input(0), j, depth + 1);
    }
  }
  return std::nullopt;
}

// A one-element constant's rank does not widen the result of an elementwise op with x.
bool RankFits(const Tensor& tensor, int64_t rank) { return static_cast<int64_t>(tensor.rank()) <= rank; }

// A gamma/beta whose broadcast with x (rank `rank`, normalized trailing dims `normalized`) only
// spreads it over the normalized axes and leaves the shape of x unchanged.
bool FitsNormalizedAxes(const Tensor& tensor, int64_t rank, const std::vector<int64_t>& normalized) {
  int64_t t_rank = static_cast<int64_t>(tensor.rank());
  if (t_rank > rank) return false;
  int64_t k = static_cast<int64_t>(normalized.size());
  for (int64_t p = 0; p < t_rank; ++p) {
    int64_t axis = rank - t_rank + p;
    int64_t dim = tensor.dims()[static_cast<size_t>(p)];
    if (axis < rank - k) {
      if (dim != 1) return false;
    } else if (dim != 1 && dim != normalized[static_cast<size_t>(axis - (rank - k))]) {
      return false;
    }
  }
  return true;
}

// `tensor` broadcast to exactly `dims` (it fits: see FitsNormalizedAxes), copying element bytes.
TensorPtr BroadcastTo(const Tensor& tensor, const std::vector<int64_t>& dims) {
  size_t element = ElementSize(tensor.dtype());
  int64_t count = 1;
  for (int64_t d : dims) count *= d;
  // Strides of the source over the output dims (0 where the source dim is 1 or absent).
  size_t rank = dims.size();
  std::vector<int64_t> source_dims(rank, 1);
  size_t t_rank = tensor.rank();
  for (size_t i = 0; i < std::min(t_rank, rank); ++i) source_dims[rank - 1 - i] = tensor.dims()[t_rank - 1 - i];
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t i = rank; i-- > 0;) {
    strides[i] = source_dims[i] == 1 ? 0 : stride;
    stride *= source_dims[i];
  }
  std::vector<std::byte> bytes(static_cast<size_t>(count) * element);
  const std::byte* source = tensor.bytes().data();
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t offset = 0;
    for (size_t d = 0; d < rank; ++d) offset += index[d] * strides[d];
    std::memcpy(bytes.data() + static_cast<size_t>(i) * element, source + static_cast<size_t>(offset) * element, element);
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < dims[d]) break;
      index[d] = 0;
    }
  }
  return Tensor::Create(tensor.dtype(), dims, SharedBytes::FromVector(std::move(bytes)));
}

TensorPtr Ones(DataType type, const std::vector<int64_t>& dims) {
  int64_t count = 1;
  for (int64_t d : dims) count *= d;
  if (type == DataType::kFloat16) {
    std::vector<uint16_t> ones(static_cast<size_t>(count), FloatToHalf(1.0f));
    return Tensor::FromValues<uint16_t>(type, dims, ones);
  }
  std::vector<float> ones(static_cast<size_t>(count), 1.0f);
  return Tensor::FromValues<float>(DataType::kFloat, dims, ones);
}

struct LayerNormMatch {
  Value* x = nullptr;
  std::vector<Node*> nodes;  // consumers first, so they can be removed in this order
  Node* last = nullptr;      // the node whose output the LayerNormalization replaces
  Value* gamma = nullptr;
  Value* beta = nullptr;
  double epsilon = 0;
  DataType type = DataType::kUndefined;
  std::vector<int64_t> normalized;  // the trailing k dims of x
};

// The parameter (gamma or beta) of `node` = Op(input, constant), either order, when it fits.
Value* Parameter(const Node& node, const Value* input, DataType type, int64_t rank,
                 const std::vector<int64_t>& normalized) {
  if (node.inputCount() != 2 || node.outputCount() != 1) return nullptr;
  Value* other = node.input(0) == input ? node.input(1) : node.input(0);
  if (other == input) return nullptr;
  TensorPtr tensor = ConstantTensor(other);
  if (!tensor || tensor->dtype() != type || !FitsNormalizedAxes(*tensor, rank, normalized)) return nullptr;
  return other;
}

std::optional<LayerNormMatch> MatchLayerNorm(Node& normalize, const Model& model, std::string& why) {
  const Graph& graph = *normalize.owner();
  int64_t opset = model.opsetVersion("").value_or(0);
  auto fail = [&](std::string reason) {
    why = std::move(reason);
    return std::nullopt;
  };
  if (normalize.inputCount() != 2 || normalize.outputCount() != 1) return fail("not a binary node");
  // n = Div(d, std) or Mul(d, Reciprocal(std)).
  Value* d = nullptr;
  Value* std_value = nullptr;
  Node* reciprocal = nullptr;
  if (normalize.is("Div")) {
    d = normalize.input(0);
    std_value = normalize.input(1);
  } else {
    for (size_t i = 0; i < 2 && !reciprocal; ++i) {
      Node* r = ProducerOf(normalize.input(i), graph, "Reciprocal");
      if (r && OnlyUsedBy(r->output(0), normalize)) {
        reciprocal = r;
        std_value = r->input(0);
        d = normalize.input(1 - i);
      }
    }
    if (!reciprocal) return fail("not Div(d, std) or Mul(d, Reciprocal(std))");
  }
  Node* sqrt = ProducerOf(std_value, graph, "Sqrt");
  if (!sqrt || !OnlyUsedBy(sqrt->output(0), reciprocal ? *reciprocal : normalize))
    return fail("the divisor is not a Sqrt used only here");
  Node* add_eps = ProducerOf(sqrt->input(0), graph, "Add");
  if (!add_eps || add_eps->inputCount() != 2 || !OnlyUsedBy(add_eps->output(0), *sqrt))
    return fail("the Sqrt's input is not an Add used only by it");
  Node* var_node = nullptr;
  TensorPtr eps;
  for (size_t i = 0; i < 2 && !var_node; ++i) {
    Node* r = ProducerOf(add_eps->input(i), graph, "ReduceMean");
    TensorPtr c = ConstantTensor(add_eps->input(1 - i));
    if (r && c) {
      var_node = r;
      eps = c;
    }
  }
  if (!var_node || !OnlyUsedBy(var_node->output(0), *add_eps))
    return fail("the Sqrt's input is not Add(ReduceMean(..), constant epsilon) with one use");
  Node* square = ProducerOf(var_node->input(0), graph, "Pow");
  TensorPtr exponent;
  if (square) {
    exponent = ConstantTensor(square->input(1));
    if (!exponent || exponent->elementCount() != 1 || exponent->dtype() == DataType::kString ||
        exponent->dtype() == DataType::kBool || exponent->ElementAsDouble(0) != 2.0)
      return fail("the Pow's exponent is not the constant 2");
  } else {
    square = ProducerOf(var_node->input(0), graph, "Mul");
    if (!square || square->inputCount() != 2 || square->input(0) != square->input(1))
      return fail("the variance does not reduce Pow(d, 2) or Mul(d, d)");
  }
  if (!OnlyUsedBy(square->output(0), *var_node)) return fail("the square has other uses");
  Value* d2 = square->input(0);
  Node* sub = ProducerOf(d2, graph, "Sub");
  if (!sub || sub->inputCount() != 2) return fail("the squared value is not a Sub");
  Node* mean_node = ProducerOf(sub->input(1), graph, "ReduceMean");
  Value* x = sub->input(0);
  if (!mean_node || mean_node->input(0) != x) return fail("the Sub is not Sub(x, ReduceMean(x))");
  Value* mean = mean_node->output(0);
  // The numerator: d itself, or a second Sub(x, mean).
  Node* sub2 = nullptr;
  size_t square_uses = square->is("Pow") ? 1 : 2;
  if (d == d2) {
    if (d2->isGraphOutput() || d2->uses().size() != square_uses + 1) return fail("x - mean has other uses");
    for (const Use& use : d2->uses())
      if (use.user != square && use.user != &normalize) return fail("x - mean has other uses");
    if (!OnlyUsedBy(mean, *sub)) return fail("the mean has other uses");
  } else {
    sub2 = ProducerOf(d, graph, "Sub");
    if (!sub2 || sub2->inputCount() != 2 || sub2->input(0) != x || sub2->input(1) != mean)
      return fail("the numerator is not x - mean");
    if (!OnlyUsedBy(d, normalize)) return fail("x - mean has other uses");
    if (d2->isGraphOutput() || d2->uses().size() != square_uses) return fail("x - mean has other uses");
    for (const Use& use : d2->uses())
      if (use.user != square) return fail("x - mean has other uses");
    if (mean->isGraphOutput() || mean->uses().size() != 2) return fail("the mean has other uses");
    for (const Use& use : mean->uses())
      if (use.user != sub && use.user != sub2) return fail("the mean has other uses");
  }

  // Element type, epsilon.
  DataType type = eps->dtype();
  if (type != DataType::kFloat && type != DataType::kFloat16)
    return fail("the element type is not float or float16");
  if (x->elemType() != DataType::kUndefined && x->elemType() != type) return fail("epsilon's type is not x's");
  if (eps->elementCount() != 1) return fail("epsilon is not a single value");

  // Rank (when declared) and the normalized dims.
  std::optional<int64_t> rank;
  for (const Value* v : {x, d2, normalize.output(0)})
    if (!rank && v->rank()) rank = *v->rank();
  auto axes1 = ReduceAxes(*mean_node, opset);
  auto axes2 = ReduceAxes(*var_node, opset);
  if (!axes1 || !axes2) return fail("a ReduceMean has no constant axes or keepdims = 0");
  auto k1 = TrailingAxisCount(*axes1, rank);
  auto k2 = TrailingAxisCount(*axes2, rank);
  if (!k1 || !k2 || *k1 != *k2) return fail("the ReduceMeans do not both reduce the same trailing axes");
  int64_t k = *k1;
  // x has at least k axes; a constant of rank <= this bound cannot widen the result.
  int64_t rank_bound = rank.value_or(k);
  std::vector<int64_t> normalized(static_cast<size_t>(k));
  for (int64_t j = 0; j < k; ++j) {
    std::optional<int64_t> dim;
    for (const Value* v : {x, d2, normalize.output(0)})
      if (!dim) dim = TrailingDim(v, j, 0);
    if (!dim) return fail("the normalized dims of x are not statically known");
    normalized[static_cast<size_t>(k - 1 - j)] = *dim;
  }
  if (!RankFits(*eps, rank_bound) || (exponent && !RankFits(*exponent, rank_bound)))
    return fail("a constant would widen the rank of the result");

  LayerNormMatch match;
  match.x = x;
  match.epsilon = eps->ElementAsDouble(0);
  match.type = type;
  match.normalized = normalized;
  // Optional Mul(gamma) and Add(beta) after the normalization.
  Node* last = &normalize;
  Node* mul_gamma = nullptr;
  Node* add_beta = nullptr;
  if (Node* user = OnlyUser(normalize.output(0), graph); user && user->is("Mul")) {
    if (Value* gamma = Parameter(*user, normalize.output(0), type, rank_bound, normalized)) {
      mul_gamma = user;
      match.gamma = gamma;
      last = user;
    }
  }
  if (Node* user = OnlyUser(last->output(0), graph); user && user->is("Add")) {
    if (Value* beta = Parameter(*user, last->output(0), type, rank_bound, normalized)) {
      add_beta = user;
      match.beta = beta;
      last = user;
    }
  }
  match.last = last;
  for (Node* node : {add_beta, mul_gamma, &normalize, reciprocal, sqrt, add_eps, var_node, square, sub2, sub, mean_node})
    if (node) match.nodes.push_back(node);
  return match;
}

// The value for a LayerNormalization parameter: the constant itself when it already has exactly
// the normalized shape, else a new initializer broadcast to it.
Value* ParameterInput(Graph& graph, Value* parameter, const std::vector<int64_t>& normalized, std::string_view hint) {
  TensorPtr tensor = ConstantTensor(parameter);
  if (std::equal(tensor->dims().begin(), tensor->dims().end(), normalized.begin(), normalized.end())) return parameter;
  return graph.addInitializer(hint, BroadcastTo(*tensor, normalized));
}

void Fuse(Graph& graph, const LayerNormMatch& match) {
  Value* scale = match.gamma ? ParameterInput(graph, match.gamma, match.normalized, match.gamma->name())
                             : graph.addInitializer(match.last->output(0)->name() + "_scale",
                                                    Ones(match.type, match.normalized));
  std::vector<Value*> inputs = {match.x, scale};
  if (match.beta) inputs.push_back(ParameterInput(graph, match.beta, match.normalized, match.beta->name()));
  Value* old_output = match.last->output(0);
  Node* ln = graph.createNode("LayerNormalization", inputs, 1, old_output->name(), match.last);
  ln->mutableMetadata()->set_domain("");  // written as the parser and exporters write it
  ln->setAttribute(Attribute::Int("axis", -static_cast<int64_t>(match.normalized.size())));
  ln->setAttribute(Attribute::Float("epsilon", static_cast<float>(match.epsilon)));
  ONNXKIT_CHECK(ReplaceValue(old_output, ln->output(0)), "fuse-layer-normalization: output replacement");
  for (Node* node : match.nodes) graph.removeNode(node);
}

}  // namespace

Result<size_t> FuseLayerNormalization::run(Model& model) {
  if (model.opsetVersion("").value_or(0) < 17) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !(node->is("Div") || node->is("Mul"))) continue;
      std::string why;
      auto match = MatchLayerNorm(*node, model, why);
      if (!match) {
        bool candidate = node->is("Div") || ProducerOf(node->input(0), graph, "Reciprocal") ||
                         ProducerOf(node->input(1), graph, "Reciprocal");
        if (candidate) Explain(kPass, *node, why);
        continue;
      }
      removed.insert(match->nodes.begin(), match->nodes.end());
      Fuse(graph, *match);
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
