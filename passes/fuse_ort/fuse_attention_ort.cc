#include "passes/fuse_ort/fuse_attention_ort.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "passes/fuse/fusion_util.h"
#include "passes/fuse_ort/ort_fusion_util.h"

namespace onnxkit {
namespace {

using namespace ort_fusion;

constexpr std::string_view kPassName = "fuse-attention-ort";

// ------------------------------------------------------------------------------------------------
// Small readers

// The values of a constant int32/int64 tensor of rank 0 or 1.
std::optional<std::vector<int64_t>> IntConstant(const Value* value) {
  TensorPtr tensor = ConstantTensor(value);
  if (!tensor || tensor->rank() > 1) return std::nullopt;
  if (tensor->dtype() != DataType::kInt64 && tensor->dtype() != DataType::kInt32) return std::nullopt;
  std::vector<int64_t> values;
  for (int64_t i = 0; i < tensor->elementCount(); ++i) values.push_back(tensor->ElementAsInt64(i));
  return values;
}

// A Constant node producing `value`, to clean up with the pattern when nothing else uses it.
Node* ConstantProducer(const Graph& graph, const Value* value) { return ProducerIn(graph, value, "Constant"); }

// Both dimensions known and different (values, or distinct symbolic names do not count).
bool DimsDiffer(const Value* a, int64_t i, const Value* b, int64_t j) {
  std::optional<int64_t> da = KnownDim(a, i), db = KnownDim(b, j);
  return da && db && *da != *db;
}

std::optional<std::vector<int64_t>> Perm(const Node& transpose) { return transpose.getInts("perm"); }

bool HasPerm(const Node* transpose, std::initializer_list<int64_t> perm) {
  if (!transpose) return false;
  std::optional<std::vector<int64_t>> p = Perm(*transpose);
  return p && std::equal(p->begin(), p->end(), perm.begin(), perm.end());
}

// Unsqueeze's axes: an input from opset 13, an attribute before.
std::optional<std::vector<int64_t>> UnsqueezeAxes(const Node& unsqueeze, int64_t opset) {
  if (opset >= 13) {
    if (unsqueeze.inputCount() != 2) return std::nullopt;
    return IntConstant(unsqueeze.input(1));
  }
  return unsqueeze.getInts("axes");
}

// ------------------------------------------------------------------------------------------------
// Reshape targets as entries: constants, or "dimension i of tensor t".

struct Entry {
  bool is_dim = false;
  int64_t value = 0;          // constant entry
  const Value* of = nullptr;  // dimension entry: dimension `value` of `of`
};

struct ShapeReader {
  const Graph& graph;
  int64_t opset;
  std::vector<Node*>& nodes;  // nodes computing the shapes (Shape, Gather, Unsqueeze, Concat, Constant)

  // The entries of `piece`, a 1-D int64 tensor (scalar when `scalar`).
  bool read(const Value* piece, bool scalar, std::vector<Entry>& out) {
    if (!piece) return false;
    if (TensorPtr tensor = ConstantTensor(piece)) {
      if (tensor->dtype() != DataType::kInt64 || tensor->rank() != (scalar ? 0u : 1u)) return false;
      for (int64_t i = 0; i < tensor->elementCount(); ++i) out.push_back({false, tensor->ElementAsInt64(i), nullptr});
      if (Node* constant = ConstantProducer(graph, piece)) nodes.push_back(constant);
      return true;
    }
    if (Node* unsqueeze = ProducerIn(graph, piece, "Unsqueeze"); unsqueeze && !scalar) {
      std::optional<std::vector<int64_t>> axes = UnsqueezeAxes(*unsqueeze, opset);
      if (!axes || axes->size() != 1 || ((*axes)[0] != 0 && (*axes)[0] != -1)) return false;
      nodes.push_back(unsqueeze);
      if (Node* constant = opset >= 13 ? ConstantProducer(graph, unsqueeze->input(1)) : nullptr)
        nodes.push_back(constant);
      return read(unsqueeze->input(0), true, out);
    }
    if (Node* gather = ProducerIn(graph, piece, "Gather")) {
      if (gather->getInt("axis", 0) != 0 || gather->inputCount() != 2) return false;
      TensorPtr indices = ConstantTensor(gather->input(1));
      std::optional<std::vector<int64_t>> index_values = IntConstant(gather->input(1));
      if (!indices || !index_values || indices->rank() != (scalar ? 0u : 1u)) return false;
      Node* shape = ProducerIn(graph, gather->input(0), "Shape");
      if (!shape || !shape->input(0)) return false;
      int64_t start = shape->getInt("start", 0);
      if (start < 0 || (shape->hasAttribute("end") && shape->getInt("end", 0) < 0)) return false;
      for (int64_t index : *index_values) {
        if (index < 0) return false;
        if (shape->hasAttribute("end") && start + index >= shape->getInt("end", 0)) return false;
        out.push_back({true, start + index, shape->input(0)});
      }
      nodes.push_back(gather);
      nodes.push_back(shape);
      if (Node* constant = ConstantProducer(graph, gather->input(1))) nodes.push_back(constant);
      return true;
    }
    if (Node* shape = ProducerIn(graph, piece, "Shape"); shape && !scalar && shape->input(0)) {
      if (!shape->hasAttribute("end")) return false;  // the whole shape: the rank would have to be known
      int64_t start = shape->getInt("start", 0), end = shape->getInt("end", 0);
      if (start < 0 || end < start) return false;
      for (int64_t i = start; i < end; ++i) out.push_back({true, i, shape->input(0)});
      nodes.push_back(shape);
      return true;
    }
    if (Node* concat = ProducerIn(graph, piece, "Concat"); concat && !scalar) {
      int64_t axis = concat->getInt("axis", 0);
      if (axis != 0 && axis != -1) return false;
      for (const Value* input : concat->inputs())
        if (!read(input, false, out)) return false;
      nodes.push_back(concat);
      return true;
    }
    return false;
  }
};

// Whether entry `i` of a Reshape target copies dimension i of x (the Reshape's data has x's first
// two dimensions): 0 without allowzero, dimension i of a tensor known to share them, or a constant
// equal to a known static dimension i.
bool CopiesDim(const Entry& entry, int64_t i, bool allowzero, const std::vector<const Value*>& same_dims) {
  if (entry.is_dim) {
    return entry.value == i && std::find(same_dims.begin(), same_dims.end(), entry.of) != same_dims.end();
  }
  if (entry.value == 0 && !allowzero) return true;
  if (entry.value <= 0) return false;
  for (const Value* value : same_dims)
    if (KnownDim(value, i) == entry.value) return true;
  return false;
}

// The first two entries are x's batch and sequence dimensions (one of them may be -1 when the
// other is proven and the rest are positive constants, which fixes it by the element count).
bool LeadingDimsCopied(const std::vector<Entry>& entries, bool allowzero, const std::vector<const Value*>& same_dims) {
  if (entries.size() < 2) return false;
  bool first = CopiesDim(entries[0], 0, allowzero, same_dims);
  bool second = CopiesDim(entries[1], 1, allowzero, same_dims);
  auto minus_one = [](const Entry& e) { return !e.is_dim && e.value == -1; };
  for (size_t i = 2; i < entries.size(); ++i)
    if (entries[i].is_dim || entries[i].value <= 0) return false;
  return (first && second) || (first && minus_one(entries[1])) || (second && minus_one(entries[0]));
}

// ------------------------------------------------------------------------------------------------
// Projections: t = x W[:, c0 : c0 + n] + b[c0 : c0 + n]

struct Projection {
  Value* x = nullptr;
  Value* weight_value = nullptr;  // the constant as the model holds it
  TensorPtr weight;               // [D, total] as the MatMul sees it (transposed when needed)
  Node* weight_user = nullptr;    // MatMul, or the Transpose of the weight
  Value* bias_value = nullptr;
  TensorPtr bias;  // [total] or null
  Node* bias_user = nullptr;
  int64_t column0 = 0;
  int64_t columns = 0;
  Node* matmul = nullptr;
  std::vector<Node*> nodes;                 // MatMul, Add, Split, Transpose of the weight
  std::vector<const Value*> intermediates;  // values of this projection with x's first two dims
};

bool IsFloatMatrix(const TensorPtr& tensor) {
  return tensor && tensor->dtype() == DataType::kFloat && tensor->rank() == 2;
}

TensorPtr TransposeMatrix(const Tensor& matrix) {
  int64_t rows = matrix.dims()[0], cols = matrix.dims()[1];
  std::vector<float> in = matrix.ToVector<float>(), out(in.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) out[static_cast<size_t>(c * rows + r)] = in[static_cast<size_t>(r * cols + c)];
  return Tensor::FromValues<float>(DataType::kFloat, {cols, rows}, std::span<const float>(out));
}

// MatMul(x, W) with W a constant float matrix, or Transpose<perm = [1, 0]>(W) of one.
bool MatchMatMul(const Graph& graph, Node* matmul, Projection& p) {
  if (!matmul || matmul->inputCount() != 2 || !matmul->input(0) || !matmul->input(1)) return false;
  Value* w = matmul->input(1);
  if (TensorPtr tensor = ConstantTensor(w); IsFloatMatrix(tensor)) {
    p.weight_value = w;
    p.weight = tensor;
    p.weight_user = matmul;
  } else if (Node* transpose = ProducerIn(graph, w, "Transpose")) {
    TensorPtr source = ConstantTensor(transpose->input(0));
    std::optional<std::vector<int64_t>> perm = Perm(*transpose);
    if (!IsFloatMatrix(source) || (perm && *perm != std::vector<int64_t>{1, 0})) return false;
    p.weight_value = transpose->input(0);
    p.weight = TransposeMatrix(*source);
    p.weight_user = transpose;
    p.nodes.push_back(transpose);
    if (Node* constant = ConstantProducer(graph, transpose->input(0))) p.nodes.push_back(constant);
  } else {
    return false;
  }
  if (Node* constant = ConstantProducer(graph, w)) p.nodes.push_back(constant);
  p.x = matmul->input(0);
  p.matmul = matmul;
  p.nodes.push_back(matmul);
  p.intermediates.push_back(matmul->output(0));
  return true;
}

// Add(MatMul(x, W), b) in either order with b a constant float vector of W's column count, or the
// MatMul alone.
bool MatchBiasedMatMul(const Graph& graph, Value* value, Projection& p) {
  if (Node* add = ProducerIn(graph, value, "Add")) {
    if (add->inputCount() != 2) return false;
    for (size_t k = 0; k < 2; ++k) {
      Node* matmul = ProducerIn(graph, add->input(k), "MatMul");
      TensorPtr bias = ConstantTensor(add->input(1 - k));
      if (!matmul || !bias || bias->dtype() != DataType::kFloat || bias->rank() != 1) continue;
      Projection candidate;
      if (!MatchMatMul(graph, matmul, candidate) || bias->dims()[0] != candidate.weight->dims()[1]) continue;
      p = std::move(candidate);
      p.bias_value = add->input(1 - k);
      p.bias = bias;
      p.bias_user = add;
      p.nodes.push_back(add);
      if (Node* constant = ConstantProducer(graph, add->input(1 - k))) p.nodes.push_back(constant);
      p.intermediates.push_back(add->output(0));
      return true;
    }
    return false;
  }
  return MatchMatMul(graph, ProducerIn(graph, value, "MatMul"), p);
}

// Split sizes along the last axis, or nullopt.
std::optional<std::vector<int64_t>> SplitSizes(const Node& split, int64_t opset, int64_t total,
                                               std::optional<int64_t> rank) {
  int64_t axis = split.getInt("axis", 0);
  if (axis != -1 && !(rank && axis == *rank - 1)) return std::nullopt;
  std::optional<std::vector<int64_t>> sizes;
  if (opset >= 13) {
    if (split.inputCount() >= 2 && split.input(1)) sizes = IntConstant(split.input(1));
  } else {
    sizes = split.getInts("split");
  }
  int64_t count = static_cast<int64_t>(split.outputCount());
  if (!sizes) {
    if (split.inputCount() >= 2 && split.input(1)) return std::nullopt;  // sizes given but not constant
    if (count == 0 || total % count != 0) return std::nullopt;
    sizes = std::vector<int64_t>(static_cast<size_t>(count), total / count);
  }
  int64_t sum = 0;
  for (int64_t size : *sizes) {
    if (size < 0) return std::nullopt;
    sum += size;
  }
  if (sum != total || static_cast<int64_t>(sizes->size()) != count) return std::nullopt;
  return sizes;
}

// The projection producing `value`: a biased MatMul, or one output of a Split on the last axis of
// a biased MatMul (the form fuse-qkv-matmuls leaves).
bool MatchProjection(const Graph& graph, Value* value, int64_t opset, Projection& p) {
  if (Node* split = ProducerIn(graph, value, "Split")) {
    if (!split->input(0) || !MatchBiasedMatMul(graph, split->input(0), p)) return false;
    std::optional<int64_t> rank = p.x->rank();
    for (const Value* v : p.intermediates)
      if (!rank && v->rank()) rank = v->rank();
    std::optional<std::vector<int64_t>> sizes = SplitSizes(*split, opset, p.weight->dims()[1], rank);
    if (!sizes) return false;
    size_t index = value->producerOutputIndex();
    for (size_t i = 0; i < index; ++i) p.column0 += (*sizes)[i];
    p.columns = (*sizes)[index];
    p.nodes.push_back(split);
    if (opset >= 13 && split->inputCount() >= 2)
      if (Node* constant = ConstantProducer(graph, split->input(1))) p.nodes.push_back(constant);
    p.intermediates.push_back(value);
    return true;
  }
  if (!MatchBiasedMatMul(graph, value, p)) return false;
  p.columns = p.weight->dims()[1];
  return true;
}

// ------------------------------------------------------------------------------------------------
// Heads: Transpose(Reshape(t, [B, S, N, h]), perm) with the perms of Q, K or V.

enum class Role { kQuery, kKey, kValue };

struct Heads {
  Value* projected = nullptr;  // t
  Node* reshape = nullptr;
  std::vector<Entry> entries;
  int64_t heads = 0, head_size = 0;
  std::vector<Node*> nodes;        // Reshape, Transposes
  std::vector<Node*> shape_nodes;  // computing the Reshape target
};

bool ReadReshapeTarget(const Graph& graph, Node& reshape, int64_t opset, std::vector<Entry>& entries,
                       std::vector<Node*>& shape_nodes) {
  if (opset < 5 || reshape.inputCount() != 2 || !reshape.input(0)) return false;
  ShapeReader reader{graph, opset, shape_nodes};
  return reader.read(reshape.input(1), false, entries);
}

bool AllowZero(const Node& reshape, int64_t opset) { return opset >= 14 && reshape.getInt("allowzero", 0) != 0; }

bool MatchHeads(const Graph& graph, Value* value, Role role, int64_t opset, Heads& h) {
  Node* transpose = ProducerIn(graph, value, "Transpose");
  if (!transpose) return false;
  h.nodes.push_back(transpose);
  Node* reshape = nullptr;
  if (role == Role::kKey && HasPerm(transpose, {0, 2, 3, 1})) {
    reshape = ProducerIn(graph, transpose->input(0), "Reshape");
  } else if (role == Role::kKey && HasPerm(transpose, {0, 1, 3, 2})) {
    Node* inner = ProducerIn(graph, transpose->input(0), "Transpose");
    if (!HasPerm(inner, {0, 2, 1, 3})) return false;
    h.nodes.push_back(inner);
    reshape = ProducerIn(graph, inner->input(0), "Reshape");
  } else if (role != Role::kKey && HasPerm(transpose, {0, 2, 1, 3})) {
    reshape = ProducerIn(graph, transpose->input(0), "Reshape");
  }
  if (!reshape || !ReadReshapeTarget(graph, *reshape, opset, h.entries, h.shape_nodes)) return false;
  if (h.entries.size() != 4 || h.entries[2].is_dim || h.entries[3].is_dim) return false;
  h.heads = h.entries[2].value;
  h.head_size = h.entries[3].value;
  if (h.heads <= 0 || h.head_size <= 0) return false;
  h.reshape = reshape;
  h.nodes.push_back(reshape);
  h.projected = reshape->input(0);
  return true;
}

// ------------------------------------------------------------------------------------------------
// The mask term: Mul(Sub(1, Cast<to = FLOAT>(Unsqueeze...(mask))), f), [B, S] -> [B, 1, 1, S].

struct Mask {
  Value* source = nullptr;  // int32/int64/bool [B, S]
  float filter = -10000.0f;
  std::vector<Node*> nodes;
};

bool MatchMaskChain(const Graph& graph, Value* value, int64_t opset, Mask& mask) {
  // Walk up through Unsqueezes and exactly one Cast to float, recording the Unsqueeze axes.
  std::vector<std::vector<int64_t>> unsqueezes;  // in graph order after reversal
  int casts = 0;
  Value* current = value;
  while (true) {
    if (Node* cast = ProducerIn(graph, current, "Cast")) {
      if (cast->getInt("to", 0) != static_cast<int64_t>(DataType::kFloat)) return false;
      ++casts;
      mask.nodes.push_back(cast);
      current = cast->input(0);
    } else if (Node* unsqueeze = ProducerIn(graph, current, "Unsqueeze")) {
      std::optional<std::vector<int64_t>> axes = UnsqueezeAxes(*unsqueeze, opset);
      if (!axes) return false;
      unsqueezes.push_back(*axes);
      mask.nodes.push_back(unsqueeze);
      if (opset >= 13)
        if (Node* constant = ConstantProducer(graph, unsqueeze->input(1))) mask.nodes.push_back(constant);
      current = unsqueeze->input(0);
    } else {
      break;
    }
    if (!current) return false;
  }
  if (casts != 1 || !current) return false;
  DataType type = current->elemType();
  if (type != DataType::kInt64 && type != DataType::kInt32 && type != DataType::kBool) return false;
  if (current->rank() != 2) return false;
  // Apply the Unsqueezes in graph order to [b, s] (-1 marks an inserted unit dimension).
  std::vector<int> dims = {0, 1};
  for (auto it = unsqueezes.rbegin(); it != unsqueezes.rend(); ++it) {
    int64_t out_rank = static_cast<int64_t>(dims.size() + it->size());
    std::vector<bool> inserted(static_cast<size_t>(out_rank), false);
    for (int64_t axis : *it) {
      int64_t a = axis < 0 ? axis + out_rank : axis;
      if (a < 0 || a >= out_rank || inserted[static_cast<size_t>(a)]) return false;
      inserted[static_cast<size_t>(a)] = true;
    }
    std::vector<int> next;
    size_t k = 0;
    for (int64_t a = 0; a < out_rank; ++a) next.push_back(inserted[static_cast<size_t>(a)] ? -1 : dims[k++]);
    dims = std::move(next);
  }
  if (dims != std::vector<int>{0, -1, -1, 1}) return false;
  mask.source = current;
  return true;
}

bool MatchMask(const Graph& graph, Value* value, int64_t opset, Mask& mask) {
  Node* mul = ProducerIn(graph, value, "Mul");
  if (!mul || mul->inputCount() != 2) return false;
  for (size_t k = 0; k < 2; ++k) {
    std::optional<double> f = ScalarConstant(mul->input(1 - k), 4, DataType::kFloat);
    Node* sub = ProducerIn(graph, mul->input(k), "Sub");
    if (!f || !std::isfinite(*f) || !sub || sub->inputCount() != 2) continue;
    std::optional<double> one = ScalarConstant(sub->input(0), 4, DataType::kFloat);
    if (!one || *one != 1.0) continue;
    Mask candidate;
    if (!MatchMaskChain(graph, sub->input(1), opset, candidate)) continue;
    candidate.filter = static_cast<float>(*f);
    candidate.nodes.push_back(sub);
    candidate.nodes.push_back(mul);
    for (const Value* constant : {mul->input(1 - k), sub->input(0)})
      if (Node* node = ConstantProducer(graph, constant)) candidate.nodes.push_back(node);
    mask = std::move(candidate);
    return true;
  }
  return false;
}

// ------------------------------------------------------------------------------------------------
// The whole pattern, matched from its Softmax.

struct Pattern {
  Projection q, k, v;
  Heads q_heads, k_heads, v_heads;
  std::optional<Mask> mask;
  double scale = 1.0;
  Node* output_reshape = nullptr;
  std::vector<Node*> core;         // every node replaced by Attention
  std::vector<Node*> shape_nodes;  // nodes computing Reshape targets
  std::vector<Node*> extra;        // constants and mask nodes to remove when unused
};

void Append(std::vector<Node*>& to, const std::vector<Node*>& from) { to.insert(to.end(), from.begin(), from.end()); }

// Every use of the pattern's intermediate values is by a pattern node (the shape nodes that read
// them must themselves feed only the pattern), and none is a graph output.
bool UsedOnlyInside(const Pattern& p) {
  std::unordered_set<const Node*> core(p.core.begin(), p.core.end());
  std::unordered_set<const Node*> shape(p.shape_nodes.begin(), p.shape_nodes.end());
  std::vector<const Node*> pending;
  std::unordered_set<const Node*> visited;
  for (const Node* node : p.core)
    if (node != p.output_reshape) pending.push_back(node);
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    if (!visited.insert(node).second) continue;
    for (const Value* output : node->outputs()) {
      if (!output) continue;
      if (output->isGraphOutput()) return false;
      for (const Use& use : output->uses()) {
        if (core.count(use.user)) continue;
        if (!shape.count(use.user)) return false;
        pending.push_back(use.user);
      }
    }
  }
  return true;
}

class Matcher {
 public:
  Matcher(const Model& model, Graph& graph) : graph_(graph), opset_(model.opsetVersion("").value_or(1)) {}

  // Fills `p` or returns why the Softmax does not start an attention pattern.
  std::string match(Node& softmax, Pattern& p) {
    int64_t axis = softmax.getInt("axis", opset_ >= 13 ? -1 : 1);
    if (axis != -1 && axis != 3) return "it does not normalize the last axis of a rank-4 tensor";
    Value* scores = softmax.input(0);
    Value* scaled = scores;
    Node* mask_add = nullptr;
    if (Node* add = ProducerIn(graph_, scores, "Add")) {
      for (size_t k = 0; k < 2 && !p.mask; ++k) {
        Mask mask;
        if (add->inputCount() == 2 && MatchMask(graph_, add->input(k), opset_, mask)) {
          p.mask = std::move(mask);
          scaled = add->input(1 - k);
          mask_add = add;
        }
      }
      if (!p.mask)
        return "the Add before it is not the additive mask (1 - Cast(mask)) * f of an unsqueezed [B, S] mask";
    }
    // Scaling: Div(qk, c), Mul(qk, c), Mul(c, qk), or none.
    Node* scale_node = nullptr;
    Node* qk = ProducerIn(graph_, scaled, "MatMul");
    if (!qk) {
      Node* div = ProducerIn(graph_, scaled, "Div");
      Node* mul = ProducerIn(graph_, scaled, "Mul");
      if (div && div->inputCount() == 2) {
        std::optional<double> c = ScalarConstant(div->input(1), 4, DataType::kFloat);
        Node* product = ProducerIn(graph_, div->input(0), "MatMul");
        if (c && product) {
          p.scale = 1.0 / *c;
          qk = product;
          scale_node = div;
        }
      } else if (mul && mul->inputCount() == 2) {
        for (size_t k = 0; k < 2 && !scale_node; ++k) {
          std::optional<double> c = ScalarConstant(mul->input(1 - k), 4, DataType::kFloat);
          Node* product = ProducerIn(graph_, mul->input(k), "MatMul");
          if (c && product) {
            p.scale = *c;
            qk = product;
            scale_node = mul;
          }
        }
      }
      if (!qk || !scale_node) return "the scores are not MatMul(q, k) scaled by a one-element float constant";
      if (Node* constant = ConstantProducer(graph_, scale_node->input(scale_node->input(0) == qk->output(0) ? 1 : 0)))
        p.extra.push_back(constant);
    }
    float scale = static_cast<float>(p.scale);
    if (!std::isfinite(p.scale) || !std::isfinite(scale) || scale == 0.0f) return "the scale is zero or not finite";
    if (qk->inputCount() != 2) return "the scores MatMul does not have two inputs";

    // Below the Softmax: MatMul(probs, v), Transpose back, Reshape to [B, S, H].
    Value* probs = softmax.output(0);
    if (!HasSingleUse(probs) || probs->uses()[0].input_index != 0 || !probs->uses()[0].user->is("MatMul") ||
        probs->uses()[0].user->owner() != &graph_)
      return "its output is not used by exactly one MatMul (as the first input)";
    Node* context = probs->uses()[0].user;
    if (context->inputCount() != 2) return "the context MatMul does not have two inputs";
    Value* context_value = context->output(0);
    if (!HasSingleUse(context_value) || !context_value->uses()[0].user->is("Transpose") ||
        context_value->uses()[0].user->owner() != &graph_ || !HasPerm(context_value->uses()[0].user, {0, 2, 1, 3}))
      return "the context is not used by exactly one Transpose<perm = [0, 2, 1, 3]>";
    Node* context_transpose = context_value->uses()[0].user;
    Value* merged = context_transpose->output(0);
    if (merged->isGraphOutput()) return "the transposed context is a graph output";
    for (const Use& use : merged->uses())
      if (use.user->is("Reshape") && use.input_index == 0 && use.user->owner() == &graph_) {
        if (p.output_reshape) return "the transposed context has two Reshapes";
        p.output_reshape = use.user;
      }
    if (!p.output_reshape) return "the transposed context is not reshaped";

    if (!MatchHeads(graph_, qk->input(0), Role::kQuery, opset_, p.q_heads))
      return "the query is not Transpose<perm = [0, 2, 1, 3]>(Reshape(t, [., ., N, h]))";
    if (!MatchHeads(graph_, qk->input(1), Role::kKey, opset_, p.k_heads))
      return "the key is not Transpose<perm = [0, 2, 3, 1]>(Reshape(t, [., ., N, h])) (or two Transposes)";
    if (!MatchHeads(graph_, context->input(1), Role::kValue, opset_, p.v_heads))
      return "the value is not Transpose<perm = [0, 2, 1, 3]>(Reshape(t, [., ., N, h]))";
    if (!MatchProjection(graph_, p.q_heads.projected, opset_, p.q) ||
        !MatchProjection(graph_, p.k_heads.projected, opset_, p.k) ||
        !MatchProjection(graph_, p.v_heads.projected, opset_, p.v))
      return "Q, K and V are not projections MatMul(x, W) (+ b) by constant float weights and biases";
    if (p.q.x != p.k.x || p.q.x != p.v.x) return "Q, K and V are not projections of the same tensor";
    Value* x = p.q.x;
    if (x->rank() && *x->rank() != 3) return "the input's rank is not 3";
    for (const Projection* proj : {&p.q, &p.k, &p.v})
      for (const Value* value : proj->intermediates)
        if (value->rank() && *value->rank() != 3) return "a projection's rank is not 3";

    // Sizes: H columns each, N heads of h.
    int64_t hidden = p.q.columns;
    int64_t heads = p.q_heads.heads, head = p.q_heads.head_size;
    if (p.k.columns != hidden || p.v.columns != hidden || hidden <= 0)
      return "Q, K and V do not have the same hidden size";
    if (heads * head != hidden) return "the head count times the head size is not the hidden size";
    for (const Heads* h : {&p.k_heads, &p.v_heads})
      if (h->heads != heads || h->head_size != head) return "Q, K and V are not split into the same heads";
    if (p.q.weight->dims()[0] != p.k.weight->dims()[0] || p.q.weight->dims()[0] != p.v.weight->dims()[0])
      return "the weights do not have the same input size";

    // Reshape targets copy x's batch and sequence dimensions.
    std::vector<const Value*> same_dims = {x};
    for (const Projection* proj : {&p.q, &p.k, &p.v})
      same_dims.insert(same_dims.end(), proj->intermediates.begin(), proj->intermediates.end());
    for (const Heads* h : {&p.q_heads, &p.k_heads, &p.v_heads})
      if (!LeadingDimsCopied(h->entries, AllowZero(*h->reshape, opset_), same_dims))
        return "a head-splitting Reshape's target does not provably keep the batch and sequence dimensions";
    same_dims.push_back(merged);
    for (const Heads* h : {&p.q_heads, &p.k_heads, &p.v_heads}) same_dims.push_back(h->reshape->output(0));
    std::vector<Entry> output_entries;
    if (!ReadReshapeTarget(graph_, *p.output_reshape, opset_, output_entries, p.shape_nodes) ||
        output_entries.size() != 3 || output_entries[2].is_dim ||
        (output_entries[2].value != hidden && output_entries[2].value != -1))
      return "the output Reshape's target is not [B, S, H]";
    bool allowzero = AllowZero(*p.output_reshape, opset_);
    if (output_entries[2].value == -1 ? !(CopiesDim(output_entries[0], 0, allowzero, same_dims) &&
                                          CopiesDim(output_entries[1], 1, allowzero, same_dims))
                                      : !LeadingDimsCopied(output_entries, allowzero, same_dims))
      return "the output Reshape's target does not provably keep the batch and sequence dimensions";

    if (p.mask) {
      const Value* source = p.mask->source;
      if (DimsDiffer(source, 0, x, 0) || DimsDiffer(source, 1, x, 1))
        return "the mask's shape does not match the input's batch and sequence";
    }

    // Collect the nodes.
    for (Projection* proj : {&p.q, &p.k, &p.v})
      for (Node* node : proj->nodes) {
        if (node->is("Constant"))
          p.extra.push_back(node);
        else if (std::find(p.core.begin(), p.core.end(), node) == p.core.end())
          p.core.push_back(node);
      }
    for (Heads* h : {&p.q_heads, &p.k_heads, &p.v_heads}) {
      Append(p.core, h->nodes);
      Append(p.shape_nodes, h->shape_nodes);
    }
    p.core.push_back(qk);
    if (scale_node) p.core.push_back(scale_node);
    if (mask_add) p.core.push_back(mask_add);
    p.core.push_back(&softmax);
    p.core.push_back(context);
    p.core.push_back(context_transpose);
    p.core.push_back(p.output_reshape);
    if (p.mask) Append(p.extra, p.mask->nodes);
    if (!UsedOnlyInside(p)) return "an intermediate value is used outside the pattern or is a graph output";

    // Weights and biases belong to their projections only (the merged weight is no duplicate).
    for (const Projection* proj : {&p.q, &p.k, &p.v}) {
      if (!UsedOnlyBy(proj->weight_value, *proj->weight_user) ||
          (proj->bias_value && !UsedOnlyBy(proj->bias_value, *proj->bias_user)))
        return "a weight or bias is shared with another node";
    }
    return "";
  }

 private:
  Graph& graph_;
  int64_t opset_;
};

// ------------------------------------------------------------------------------------------------
// Rewrite

// The three projections read columns [0, H), [H, 2H), [2H, 3H) of one weight of 3H columns.
bool SharedInOrder(const Pattern& p, bool bias) {
  const Projection* parts[] = {&p.q, &p.k, &p.v};
  int64_t hidden = p.q.columns;
  for (int i = 0; i < 3; ++i) {
    const Projection& part = *parts[i];
    if (part.column0 != i * hidden) return false;
    if (bias ? (part.bias_value != p.q.bias_value || !part.bias || part.bias->dims()[0] != 3 * hidden)
             : (part.weight_value != p.q.weight_value || part.weight_user != p.q.matmul ||
                part.weight->dims()[1] != 3 * hidden))
      return false;
  }
  return true;
}

Value* MergedWeight(Graph& graph, const Pattern& p) {
  if (SharedInOrder(p, false)) return p.q.matmul->input(1);
  int64_t rows = p.q.weight->dims()[0], hidden = p.q.columns;
  std::vector<float> merged(static_cast<size_t>(rows * 3 * hidden));
  int64_t offset = 0;
  for (const Projection* part : {&p.q, &p.k, &p.v}) {
    std::vector<float> values = part->weight->ToVector<float>();
    int64_t cols = part->weight->dims()[1];
    for (int64_t r = 0; r < rows; ++r)
      std::memcpy(&merged[static_cast<size_t>(r * 3 * hidden + offset)],
                  &values[static_cast<size_t>(r * cols + part->column0)], static_cast<size_t>(hidden) * sizeof(float));
    offset += hidden;
  }
  return graph.addInitializer(
      p.q.weight_value->name() + "_qkv",
      Tensor::FromValues<float>(DataType::kFloat, {rows, 3 * hidden}, std::span<const float>(merged)));
}

Value* MergedBias(Graph& graph, const Pattern& p) {
  if (SharedInOrder(p, true)) return p.q.bias_value;
  int64_t hidden = p.q.columns;
  std::vector<float> merged(static_cast<size_t>(3 * hidden), 0.0f);
  int64_t offset = 0;
  for (const Projection* part : {&p.q, &p.k, &p.v}) {
    if (part->bias) {
      std::vector<float> values = part->bias->ToVector<float>();
      std::copy_n(values.begin() + part->column0, hidden, merged.begin() + offset);
    }
    offset += hidden;
  }
  std::string hint = (p.q.bias_value ? p.q.bias_value->name() : p.q.weight_value->name()) + "_qkv_bias";
  return graph.addInitializer(
      hint, Tensor::FromValues<float>(DataType::kFloat, {3 * hidden}, std::span<const float>(merged)));
}

// The mask as int32: the source itself, an existing Cast<to = INT32> of it in this graph, or a new one.
Value* MaskIndex(Graph& graph, Value* source, Node* before) {
  if (source->elemType() == DataType::kInt32) return source;
  for (const Use& use : source->uses()) {
    Node* user = use.user;
    if (user->owner() == &graph && user->is("Cast") &&
        user->getInt("to", 0) == static_cast<int64_t>(DataType::kInt32) && user->output(0))
      return user->output(0);
  }
  Node* cast = graph.createNode("Cast", {source}, 1, source->name() + "_int32", before);
  cast->setAttribute(Attribute::Int("to", static_cast<int64_t>(DataType::kInt32)));
  if (source->hasType()) {
    *cast->output(0)->mutableType() = source->type();
    cast->output(0)->mutableType()->mutable_tensor_type()->set_elem_type(static_cast<int>(DataType::kInt32));
  }
  return cast->output(0);
}

void Rewrite(Model& model, Graph& graph, Pattern& p, std::unordered_set<const Node*>& removed) {
  Node* anchor = p.output_reshape;
  Value* weight = MergedWeight(graph, p);
  Value* bias = MergedBias(graph, p);
  std::vector<Value*> inputs = {p.q.x, weight, bias};
  if (p.mask) inputs.push_back(MaskIndex(graph, p.mask->source, anchor));
  Node* attention = graph.createNode("Attention", inputs, 1, anchor->output(0)->name(), anchor);
  attention->setOpType("Attention", std::string(kMicrosoftDomain));
  attention->setAttribute(Attribute::Int("num_heads", p.q_heads.heads));
  float scale = static_cast<float>(p.scale);
  float default_scale = 1.0f / std::sqrt(static_cast<float>(p.q_heads.head_size));
  if (scale != default_scale) attention->setAttribute(Attribute::Float("scale", scale));
  if (p.mask && p.mask->filter != -10000.0f)
    attention->setAttribute(Attribute::Float("mask_filter_value", p.mask->filter));
  ImportMicrosoftDomain(model);
  ONNXKIT_CHECK(ReplaceKeepingType(anchor->output(0), attention->output(0)), "fuse-attention-ort: output replacement");
  std::vector<Node*> candidates = p.core;
  Append(candidates, p.shape_nodes);
  Append(candidates, p.extra);
  RemoveUnusedNodes(graph, std::move(candidates), removed);
}

}  // namespace

Result<size_t> FuseAttentionOrt::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::unordered_set<const Node*> removed;
    for (Node* node : graph.nodes()) {
      if (removed.count(node) || !node->is("Softmax")) continue;
      if (!CanUseMicrosoftDomain(model)) {
        Explain(kPassName, *node, "the model imports another version of com.microsoft");
        continue;
      }
      Pattern pattern;
      std::string reason = Matcher(model, graph).match(*node, pattern);
      if (!reason.empty()) {
        Explain(kPassName, *node, reason);
        continue;
      }
      Rewrite(model, graph, pattern, removed);
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
