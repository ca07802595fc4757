#include "passes/quant/qoperator_lowering.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "ir/attribute.h"
#include "ir/pattern.h"
#include "ir/rewrite.h"

namespace onnxkit::quant {
namespace {

// Element types of the outputs of the quantized ops this pass created (their y zero point's).
using LoweredTypes = std::map<const Value*, DataType>;

// The element type of quantized data: a constant's, the zero point's of the QuantizeLinear that
// made it, or that of an op lowered before.
DataType QuantizedType(const Value* v, const LoweredTypes& lowered) {
  if (TensorPtr t = ConstantTensor(v)) return t->dtype();
  if (v && v->producer() && v->producer()->is("QuantizeLinear"))
    if (TensorPtr zp = ConstantTensor(v->producer()->input(2))) return zp->dtype();
  auto it = lowered.find(v);
  return it != lowered.end() ? it->second : DataType::kUndefined;
}

// A DequantizeLinear feeding a unit: its quantized data, scale and zero point.
struct Dequantized {
  Node* node = nullptr;
  Value* data = nullptr;
  Value* scale = nullptr;
  Value* zero_point = nullptr;
  DataType type = DataType::kUndefined;
  int64_t scale_count = 1;
};

std::optional<Dequantized> DequantizedInput(Value* v, const LoweredTypes& lowered) {
  if (!v || !v->producer() || !v->producer()->is("DequantizeLinear")) return std::nullopt;
  Node* dq = v->producer();
  Dequantized out{dq, dq->input(0), dq->input(1), dq->input(2), QuantizedType(dq->input(0), lowered), 1};
  TensorPtr scale = ConstantTensor(out.scale);
  if (!out.data || !scale || scale->dtype() != DataType::kFloat) return std::nullopt;
  out.scale_count = scale->elementCount();
  if (out.type == DataType::kInt32) return out;
  if (out.type != DataType::kInt8 && out.type != DataType::kUint8) return std::nullopt;
  TensorPtr zp = ConstantTensor(out.zero_point);
  if (!zp || zp->elementCount() != out.scale_count) return std::nullopt;
  return out;
}

// The single QuantizeLinear using `v` (per-tensor, with a zero point).
Node* OnlyQuantizer(Value* v) {
  if (!v || v->isGraphOutput() || v->uses().size() != 1) return nullptr;
  Node* q = v->uses()[0].user;
  if (!q->is("QuantizeLinear") || q->input(0) != v) return nullptr;
  TensorPtr scale = ConstantTensor(q->input(1)), zp = ConstantTensor(q->input(2));
  if (!scale || !zp || scale->elementCount() != 1 || zp->elementCount() != 1) return nullptr;
  return q;
}

class Lowering {
 public:
  explicit Lowering(Model& model) : model_(model), graph_(model.graph()) {}

  Result<size_t> run() {
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<Node*> order, graph_.topologicalOrder());
    size_t lowered = 0;
    for (Node* node : order) {
      if (removed_.count(node) || !node->isOnnxDomain()) continue;
      Node* q = OnlyQuantizer(node->output(0));
      if (!q || node->outputCount() != 1) continue;
      if (lower(*node, *q)) ++lowered;
    }
    if (uses_contrib_ && !model_.opsetVersion("com.microsoft")) model_.setOpsetVersion("com.microsoft", 1);
    ONNXKIT_RETURN_IF_ERROR(graph_.sortTopologically());
    return lowered;
  }

 private:
  // DQ → data-movement op → Q with the same scale and zero point: the op runs on the 8-bit data.
  bool lowerDataMovement(Node& node, Node& q) {
    static const std::set<std::string, std::less<>> kOps = {"Flatten", "MaxPool", "Reshape", "Squeeze",
                                                            "Transpose", "Unsqueeze"};
    if (!kOps.count(node.opType())) return false;
    if (node.is("MaxPool") && (model_.opsetVersion("").value_or(0) < 12 || node.outputCount() != 1)) return false;
    auto x = DequantizedInput(node.input(0), lowered_types_);
    if (!x || x->type == DataType::kInt32 || x->scale_count != 1) return false;
    TensorPtr xs = ConstantTensor(x->scale), xz = ConstantTensor(x->zero_point);
    TensorPtr ys = ConstantTensor(q.input(1)), yz = ConstantTensor(q.input(2));
    if (xs->ElementAsDouble(0) != ys->ElementAsDouble(0) || xz->dtype() != yz->dtype() ||
        xz->ElementAsInt64(0) != yz->ElementAsInt64(0))
      return false;
    Value* out = node.output(0);
    node.setInput(0, x->data);
    if (!ReplaceValue(q.output(0), out)) {
      node.setInput(0, x->node->output(0));
      return false;
    }
    out->mutableInfo()->clear_type();  // now 8-bit
    lowered_types_[out] = yz->dtype();
    removed_.insert(&q);
    graph_.removeNode(&q);
    RemoveUnused(x->node);
    return true;
  }

  bool lower(Node& node, Node& q) {
    if (lowerDataMovement(node, q)) return true;
    const std::string& op = node.opType();
    std::vector<Value*> inputs;
    std::string new_op, domain;
    std::vector<Node*> dqs;
    auto per_tensor = [&](Value* v) -> std::optional<Dequantized> {
      auto d = DequantizedInput(v, lowered_types_);
      if (!d || d->type == DataType::kInt32 || d->scale_count != 1) return std::nullopt;
      dqs.push_back(d->node);
      return d;
    };
    if (op == "Conv") {
      auto x = per_tensor(node.input(0));
      auto w = DequantizedInput(node.input(1), lowered_types_);
      if (!x || !w || w->type == DataType::kInt32 || !ConstantTensor(w->data)) return false;
      if (w->scale_count != 1 && w->node->getInt("axis", 1) != 0) return false;
      dqs.push_back(w->node);
      inputs = {x->data, x->scale, x->zero_point, w->data, w->scale, w->zero_point, q.input(1), q.input(2)};
      if (Value* b = node.input(2)) {
        auto bias = DequantizedInput(b, lowered_types_);
        if (!bias || bias->type != DataType::kInt32 || !ConstantTensor(bias->data) || !BiasScaleMatches(*bias, *x, *w))
          return false;
        dqs.push_back(bias->node);
        inputs.push_back(bias->data);
      }
      new_op = "QLinearConv";
    } else if (op == "MatMul") {
      auto a = per_tensor(node.input(0));
      auto b = DequantizedInput(node.input(1), lowered_types_);
      if (!a || !b || b->type == DataType::kInt32) return false;
      if (b->scale_count != 1) {
        // Per column of a 2-D B only.
        TensorPtr data = ConstantTensor(b->data);
        if (!data || data->rank() != 2 || b->node->getInt("axis", 1) != 1) return false;
      }
      dqs.push_back(b->node);
      inputs = {a->data, a->scale, a->zero_point, b->data, b->scale, b->zero_point, q.input(1), q.input(2)};
      new_op = "QLinearMatMul";
    } else if (op == "Add" || op == "Mul") {
      auto a = per_tensor(node.input(0));
      auto b = per_tensor(node.input(1));
      if (!a || !b) return false;
      inputs = {a->data, a->scale, a->zero_point, b->data, b->scale, b->zero_point, q.input(1), q.input(2)};
      new_op = "QLinear" + op;
      domain = "com.microsoft";
    } else if (op == "Concat") {
      inputs = {q.input(1), q.input(2)};
      for (Value* v : node.inputs()) {
        auto x = per_tensor(v);
        if (!x) return false;
        inputs.insert(inputs.end(), {x->data, x->scale, x->zero_point});
      }
      new_op = "QLinearConcat";
      domain = "com.microsoft";
    } else if (op == "AveragePool" || op == "GlobalAveragePool" || op == "Sigmoid" || op == "LeakyRelu" ||
               op == "Softmax") {
      auto x = per_tensor(node.input(0));
      if (!x) return false;
      inputs = {x->data, x->scale, x->zero_point, q.input(1), q.input(2)};
      new_op = "QLinear" + op;
      domain = "com.microsoft";
    } else {
      return false;
    }
    // All quantized operands must agree on signedness for the contrib ops (ORT's kernels are typed
    // by one T); QLinearConv/QLinearMatMul allow u8 x s8.
    if (!domain.empty()) {
      DataType t = ConstantTensor(q.input(2))->dtype();
      for (size_t i = 0; i < inputs.size(); ++i) {
        TensorPtr zp = ConstantTensor(inputs[i]);
        if (zp && (zp->dtype() == DataType::kInt8 || zp->dtype() == DataType::kUint8) && zp->dtype() != t)
          return false;
      }
    }
    Node* lowered = graph_.createNode(new_op, std::span<Value* const>(inputs), 1, q.output(0)->name(), &node);
    if (!domain.empty()) {
      lowered->setOpType(new_op, domain);
      uses_contrib_ = true;
    }
    lowered->setName(node.name());
    for (const Attribute& attribute : node.attributes())
      lowered->setAttribute(Attribute::FromProto(attribute.proto()));
    if (op == "Softmax") {
      int64_t opset = model_.opsetVersion("").value_or(13);
      lowered->setAttribute(Attribute::Int("opset", opset));
      if (!node.hasAttribute("axis")) lowered->setAttribute(Attribute::Int("axis", opset >= 13 ? -1 : 1));
    }
    if (!ReplaceValue(q.output(0), lowered->output(0))) {
      graph_.removeNode(lowered);
      return false;
    }
    lowered_types_[lowered->output(0)] = ConstantTensor(q.input(2))->dtype();
    removed_.insert(&q);
    removed_.insert(&node);
    graph_.removeNode(&q);
    graph_.removeNode(&node);
    for (Node* dq : std::set<Node*>(dqs.begin(), dqs.end())) RemoveUnused(dq);
    return true;
  }

  static bool BiasScaleMatches(const Dequantized& bias, const Dequantized& x, const Dequantized& w) {
    std::vector<float> bs = ConstantTensor(bias.scale)->ToVector<float>();
    std::vector<float> ws = ConstantTensor(w.scale)->ToVector<float>();
    float xs = ConstantTensor(x.scale)->ToVector<float>()[0];
    if (bs.size() != ws.size() && bs.size() != 1) return false;
    for (size_t i = 0; i < bs.size(); ++i) {
      float expected = xs * ws[ws.size() == 1 ? 0 : i];
      if (std::fabs(bs[i] - expected) > 1e-6f * std::fabs(expected)) return false;
    }
    return bs.size() == ws.size();
  }

  // Removes a DequantizeLinear nothing uses any more, and its constants nothing else uses.
  void RemoveUnused(Node* dq) {
    if (dq->output(0)->hasUses() || dq->output(0)->isGraphOutput()) return;
    std::vector<Value*> inputs(dq->inputs().begin(), dq->inputs().end());
    removed_.insert(dq);
    graph_.removeNode(dq);
    for (Value* v : std::set<Value*>(inputs.begin(), inputs.end()))
      if (v && v->isConstant() && !v->hasUses() && !v->isGraphOutput()) graph_.eraseValue(v);
  }

  Model& model_;
  Graph& graph_;
  bool uses_contrib_ = false;
  std::set<const Node*> removed_;
  LoweredTypes lowered_types_;  // nodes of the walk's order that are gone
};

}  // namespace

Status LowerToQOperator(Model& model, LoweringReport* report) {
  auto lowered = Lowering(model).run();
  if (!lowered.ok()) return lowered.status();
  if (report) report->lowered = *lowered;
  return Status::Ok();
}

}  // namespace onnxkit::quant
