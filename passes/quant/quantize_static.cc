#include "passes/quant/quantize_static.h"

#include <optional>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"
#include "ir/rewrite.h"
#include "passes/analysis/shape_inference.h"
#include "passes/quant/qdq_insertion.h"
#include "passes/quant/qdq_propagation.h"

namespace onnxkit::quant {

std::set<std::string> DefaultStaticOpTypes() {
  return {"Add",     "AveragePool", "Concat",  "Conv",    "ConvTranspose", "Flatten", "Gather",
          "Gemm",    "GlobalAveragePool", "LeakyRelu", "MatMul", "MaxPool", "Mul", "Pad", "Reshape",
          "Resize",  "Sigmoid", "Slice", "Softmax", "Split", "Squeeze", "Transpose", "Unsqueeze"};
}

namespace {

// ----- Opset -----

// Whether `node` means the same at opset 13 as at `opset` (10..12).
bool SameAtOpset13(const Node& node, int64_t opset) {
  static const std::set<std::string, std::less<>> kUnchanged = {
      "Abs", "Add", "And", "ArgMax", "ArgMin", "AveragePool", "BatchNormalization", "Cast", "Ceil", "Concat",
      "Constant", "ConstantOfShape", "Conv", "ConvTranspose", "Div", "Elu", "Equal", "Erf", "Exp", "Expand",
      "Flatten", "Floor", "Gather", "Gemm", "GlobalAveragePool", "GlobalMaxPool", "Greater", "HardSigmoid",
      "Identity", "InstanceNormalization", "LeakyRelu", "Less", "Log", "LRN", "MatMul", "Max", "MaxPool", "Mean",
      "Min", "Mul", "Neg", "Not", "Or", "Pow", "PRelu", "Range", "Reciprocal", "ReduceL2", "ReduceMax", "ReduceMean",
      "ReduceMin", "ReduceProd", "Relu", "Reshape", "Selu", "Shape", "Sigmoid", "Sign", "Sin", "Cos", "Size",
      "Slice", "Softplus", "Sqrt", "Sub", "Sum", "Tanh", "Tile", "Transpose", "Where", "QuantizeLinear",
      "DequantizeLinear"};
  if (!node.isOnnxDomain()) return true;
  if (kUnchanged.count(node.opType())) return true;
  if (opset >= 11 && (node.is("Clip") || node.is("Pad") || node.is("Resize"))) return true;
  if (opset >= 12 && node.is("Dropout")) return true;
  return false;
}

}  // namespace

Status PrepareOpset(Model& model, bool need_axis, bool allow_upgrade) {
  std::optional<int64_t> opset = model.opsetVersion("");
  if (!opset) return Status::Error("quantization: the model does not import the default ONNX domain");
  if (*opset < 10)
    return Status::Error("quantization needs opset >= 10 (QuantizeLinear), the model imports opset {}", *opset);
  if (!need_axis || *opset >= 13) return Status::Ok();
  std::string blocker;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes())
      if (blocker.empty() && !SameAtOpset13(*node, *opset)) blocker = node->describe();
  });
  if (!allow_upgrade || !blocker.empty())
    return Status::Error(
        "per-channel quantization needs opset 13 (QuantizeLinear axis); the model imports opset {}{}; "
        "quantize per tensor instead",
        *opset, blocker.empty() ? std::string() : fmt::format(" and {} changed meaning by opset 13", blocker));
  model.setOpsetVersion("", 13);
  if (model.irVersion() < 7) model.mutableMetadata()->set_ir_version(7);
  return Status::Ok();
}

namespace {

enum class SlotKind { kActivation, kWeight, kBias };
struct Slot {
  size_t index;
  SlotKind kind;
  std::optional<int64_t> axis;  // per-channel axis of a weight
};

class StaticQuantizer {
 public:
  StaticQuantizer(Model& model, const RangeTable& ranges, const StaticOptions& options, StaticReport& report)
      : model_(model), graph_(model.graph()), ranges_(ranges), options_(options), report_(report) {}

  Status run() {
    ShapeInferenceResult inferred = InferShapes(model_, /*record_in_model=*/false);
    for (Value* v : graph_.values()) {
      DataType t = KnownElemType(v);
      if (t == DataType::kUndefined) {
        auto it = inferred.main_graph_types.find(v->name());
        if (it != inferred.main_graph_types.end() && it->second.has_tensor_type())
          t = static_cast<DataType>(it->second.tensor_type().elem_type());
      }
      types_[v] = t;
    }
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<Node*> order, graph_.topologicalOrder());
    bool need_axis = false;
    for (Node* node : order) {
      if (!allowed(*node) || IsDataMovementOp(*node)) continue;
      std::vector<Slot> slots = slotsOf(*node);
      if (slots.empty()) continue;
      std::string reason;
      for (const Slot& slot : slots) {
        Value* v = node->input(slot.index);
        if (slot.kind == SlotKind::kActivation && !ranges_.count(v->name()))
          reason = fmt::format("no range for input '{}'", v->name());
        if (slot.axis) need_axis = true;
      }
      if (!reason.empty()) {
        report_.skipped.push_back(fmt::format("{}: {}", node->describe(), reason));
        continue;
      }
      selected_.emplace_back(node, std::move(slots));
    }
    ONNXKIT_RETURN_IF_ERROR(PrepareOpset(model_, need_axis, options_.allow_opset_upgrade));
    absorbActivations();
    ONNXKIT_ASSIGN_OR_RETURN(order, graph_.topologicalOrder());  // without the absorbed nodes
    assignParams(order);
    PropagateThroughDataMovement(order, params_, [&](const Node& n) { return allowed(n); });
    rewriteConstants();
    insertActivationQdq(order);
    report_.quantized_nodes = selected_.size();
    return graph_.sortTopologically();
  }

 private:
  bool allowed(const Node& node) const {
    return node.isOnnxDomain() && !node.hasSubgraphs() && options_.op_types.count(node.opType()) &&
           !options_.exclude_op_types.count(node.opType()) && !options_.exclude_nodes.count(node.name());
  }
  bool isFloat(const Value* v) const {
    auto it = types_.find(v);
    return it != types_.end() && it->second == DataType::kFloat;
  }
  bool isFloatConstant(const Value* v) const {
    TensorPtr t = ConstantTensor(v);
    return t && t->dtype() == DataType::kFloat;
  }

  // The inputs of `node` to quantize; empty when the node cannot be quantized.
  std::vector<Slot> slotsOf(const Node& node) const {
    std::vector<Slot> slots;
    auto weight_axis = [&](int64_t axis) -> std::optional<int64_t> {
      if (!options_.per_channel) return std::nullopt;
      return axis;
    };
    auto add_input = [&](size_t i, std::optional<int64_t> axis) -> bool {
      Value* v = node.input(i);
      if (!v) return false;
      if (isFloatConstant(v)) {
        slots.push_back({i, SlotKind::kWeight, axis});
        return true;
      }
      if (!isFloat(v)) return false;
      slots.push_back({i, SlotKind::kActivation, std::nullopt});
      return true;
    };
    const std::string& op = node.opType();
    if (op == "Conv" || op == "ConvTranspose" || op == "Gemm" || op == "MatMul") {
      std::optional<int64_t> axis;
      TensorPtr w = ConstantTensor(node.input(1));
      if (w && w->rank() >= 2) {
        if (op == "Conv") axis = weight_axis(0);
        else if (op == "ConvTranspose" && node.getInt("group", 1) == 1) axis = weight_axis(1);
        else if (op == "Gemm") axis = weight_axis(node.getInt("transB", 0) ? 0 : 1);
        else if (op == "MatMul") axis = weight_axis(static_cast<int64_t>(w->rank()) - 1);
      }
      if (op == "Gemm" && node.getInt("transA", 0)) { /* A's layout does not matter for QDQ */ }
      if (!add_input(0, std::nullopt) || !add_input(1, axis)) return {};
      if (slots[0].kind != SlotKind::kActivation) return {};
      if (Value* b = node.input(2); b && op != "MatMul") {
        TensorPtr bias = ConstantTensor(b);
        bool weight = slots[1].kind == SlotKind::kWeight;
        if (weight && bias && bias->dtype() == DataType::kFloat && bias->rank() == 1 &&
            (op != "Gemm" || node.getFloat("beta", 1.0f) == 1.0f))
          slots.push_back({2, SlotKind::kBias, std::nullopt});
        else if (!add_input(2, std::nullopt)) return {};
      }
      return slots;
    }
    if (op == "Add" || op == "Mul" || op == "Concat") {
      for (size_t i = 0; i < node.inputCount(); ++i)
        if (!add_input(i, std::nullopt)) return {};
      bool any_activation = false;
      for (const Slot& s : slots) any_activation |= s.kind == SlotKind::kActivation;
      return any_activation ? slots : std::vector<Slot>{};
    }
    if (op == "AveragePool" || op == "GlobalAveragePool" || op == "Sigmoid" || op == "Softmax" ||
        op == "LeakyRelu") {
      if (!node.input(0) || !isFloat(node.input(0)) || isFloatConstant(node.input(0))) return {};
      slots.push_back({0, SlotKind::kActivation, std::nullopt});
      return slots;
    }
    return {};
  }

  // Relu / Clip(min <= 0 <= max) as the only user of a quantized output: removed, the output is
  // quantized over its range.
  void absorbActivations() {
    if (!options_.absorb_relu_clip || options_.symmetric_activations) return;
    for (auto& [node, slots] : selected_) {
      Value* out = node->output(0);
      if (!out || out->isGraphOutput() || out->uses().size() != 1) continue;
      Node* act = out->uses()[0].user;
      if (act->owner() != &graph_ || !act->isOnnxDomain() || options_.exclude_nodes.count(act->name())) continue;
      if (!act->is("Relu") && !(act->is("Clip") && ClipAbsorbable(*act))) continue;
      Value* act_out = act->output(0);
      if (!act_out || !ranges_.count(act_out->name())) continue;
      if (!ReplaceValue(act_out, out)) continue;
      graph_.removeNode(act);
      ++report_.absorbed_activations;
    }
  }

  bool ClipAbsorbable(const Node& clip) const {
    std::optional<double> lo, hi;
    if (clip.hasAttribute("min")) lo = clip.getFloat("min", 0);
    if (clip.hasAttribute("max")) hi = clip.getFloat("max", 0);
    for (size_t i : {1, 2}) {
      if (!clip.input(i)) continue;
      TensorPtr t = ConstantTensor(clip.input(i));
      if (!t || t->elementCount() != 1) return false;
      (i == 1 ? lo : hi) = t->ElementAsDouble(0);
    }
    return (!lo || *lo <= 0) && (!hi || *hi >= 0);
  }

  QuantParams paramsFor(const TensorRange& range) const {
    return ComputeQuantParams(range.min, range.max, options_.activation_type, options_.symmetric_activations, false);
  }

  void assignParams(const std::vector<Node*>& order) {
    (void)order;
    for (auto& [node, slots] : selected_) {
      for (const Slot& slot : slots) {
        Value* v = node->input(slot.index);
        if (slot.kind == SlotKind::kActivation && !params_.count(v)) params_[v] = paramsFor(ranges_.at(v->name()));
      }
      Value* out = node->output(0);
      if (!out) continue;
      auto it = ranges_.find(out->name());
      if (it != ranges_.end()) {
        params_[out] = paramsFor(it->second);
      } else if (node->is("Softmax") || node->is("Sigmoid")) {
        params_[out] = paramsFor(TensorRange{0, 1});
      }
    }
  }

  void rewriteConstants() {
    WeightOptions weight_options{options_.weight_type, options_.symmetric_weights, options_.reduce_range};
    std::map<std::pair<Value*, int64_t>, std::pair<Value*, QuantizedWeight>> done;  // (value, axis or -1)
    std::vector<Value*> replaced;
    for (auto& [node, slots] : selected_) {
      std::optional<QuantizedWeight> weight_of_node;
      for (const Slot& slot : slots) {
        if (slot.kind != SlotKind::kWeight) continue;
        Value* v = node->input(slot.index);
        auto key = std::make_pair(v, slot.axis.value_or(-1));
        auto it = done.find(key);
        if (it == done.end()) {
          auto quantized = QuantizeWeight(*ConstantTensor(v), slot.axis, weight_options);
          if (!quantized.ok()) {
            report_.skipped.push_back(fmt::format("{}: {}", node->describe(), quantized.message()));
            continue;
          }
          Value* dq = builder_.dequantizedWeight(v->name(), *quantized, node);
          it = done.emplace(key, std::make_pair(dq, std::move(quantized).value())).first;
          ++report_.quantized_weights;
        }
        node->setInput(slot.index, it->second.first);
        if (slot.index == 1) weight_of_node = it->second.second;
        replaced.push_back(v);
      }
      for (const Slot& slot : slots) {
        if (slot.kind != SlotKind::kBias || !weight_of_node) continue;
        Value* b = node->input(slot.index);
        auto input_params = params_.find(node->input(0));
        if (input_params == params_.end()) continue;
        auto quantized = QuantizeBias(*ConstantTensor(b), input_params->second.scale, weight_of_node->scales);
        if (!quantized.ok()) {
          report_.skipped.push_back(fmt::format("{}: {}", node->describe(), quantized.message()));
          continue;
        }
        node->setInput(slot.index, builder_.dequantizedBias(b->name(), *quantized, node));
        replaced.push_back(b);
      }
    }
    std::set<Value*> unique(replaced.begin(), replaced.end());
    for (Value* v : replaced)
      if (unique.erase(v) && !v->hasUses() && !v->isGraphOutput() && !v->isGraphInput()) {
        if (v->producer()) RemoveDeadProducers(v);  // a Constant node
        else graph_.eraseValue(v);
      }
  }

  void insertActivationQdq(const std::vector<Node*>& order) {
    // Deterministic order: graph inputs, then node outputs in topological order.
    std::vector<Value*> tensors(graph_.inputs().begin(), graph_.inputs().end());
    for (Node* node : order) {
      for (Value* out : node->outputs())
        if (out) tensors.push_back(out);
    }
    for (Value* v : tensors) {
      auto it = params_.find(v);
      if (it == params_.end() || (!v->hasUses() && !v->isGraphOutput())) continue;
      builder_.quantizeActivation(v, it->second);
      ++report_.quantized_tensors;
    }
  }

  Model& model_;
  Graph& graph_;
  const RangeTable& ranges_;
  const StaticOptions& options_;
  StaticReport& report_;
  QdqBuilder builder_{graph_};
  std::map<const Value*, DataType> types_;
  std::vector<std::pair<Node*, std::vector<Slot>>> selected_;
  std::map<Value*, QuantParams> params_;
};

}  // namespace

Status QuantizeStatic(Model& model, const RangeTable& ranges, const StaticOptions& options, StaticReport* report) {
  StaticReport local;
  return StaticQuantizer(model, ranges, options, report ? *report : local).run();
}

}  // namespace onnxkit::quant
