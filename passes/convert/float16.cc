#include "passes/convert/float16.h"

#include <onnx/defs/schema.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "passes/analysis/shape_inference.h"
#include "passes/convert/output_declarations.h"

namespace onnxkit {
namespace {

constexpr float kLargestHalf = 65504.0f;
constexpr std::string_view kFloat16Type = "tensor(float16)";

enum class Decision {
  kNoFloat,  // no float32 tensor in or out: nothing to do
  kConvert,  // computes in float16
  kKeep,     // has float32 tensors that stay float32
};

struct NodePlan {
  Decision decision = Decision::kNoFloat;
  std::vector<bool> input_to_half;   // per input: a float32 tensor that becomes float16
  std::vector<bool> output_to_half;  // per output
};

bool IsElementwiseArithmetic(const Node& node) {
  return node.is("Add") || node.is("Sub") || node.is("Mul") || node.is("Div");
}

// Ops cheap enough that computing them in float32 costs less than a Cast pair around them.
bool IsCheap(const Node& node) {
  static const std::set<std::string> kCheap = {
      "Abs",     "Add",    "Clip",  "Concat",    "Div",    "Exp",   "Expand",  "Flatten", "Gather",
      "Identity", "Log",   "Max",   "Min",       "Mul",    "Neg",   "Pow",     "Reciprocal", "Reshape",
      "Slice",   "Split",  "Sqrt",  "Squeeze",   "Sub",    "Tile",  "Transpose", "Unsqueeze", "Where"};
  return node.isOnnxDomain() && kCheap.count(node.opType()) > 0;
}

bool IsNormalizationMath(const Node& node) {
  return node.is("Exp") || node.is("Log") || node.is("Pow") || node.is("Sqrt") || node.is("Reciprocal");
}

DataType ElemTypeOf(const Value* value) {
  if (!value) return DataType::kUndefined;
  if (value->initializer() && !value->isGraphInput()) return value->initializer()->dtype();
  return value->elemType();
}

TensorPtr ToHalf(const Tensor& tensor) {
  std::vector<float> values = tensor.ToVector<float>();
  std::vector<uint16_t> halves(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    float value = values[i];
    if (std::isfinite(value)) value = std::clamp(value, -kLargestHalf, kLargestHalf);
    halves[i] = FloatToHalf(value);
  }
  return Tensor::FromValues<uint16_t>(DataType::kFloat16, {tensor.dims().begin(), tensor.dims().end()}, halves);
}

// The formal parameter of input/output `index` (the last one when it is variadic), or nullptr.
const onnx::OpSchema::FormalParameter* Formal(const std::vector<onnx::OpSchema::FormalParameter>& formals,
                                              size_t index) {
  if (index < formals.size()) return &formals[index];
  if (!formals.empty() && formals.back().GetOption() == onnx::OpSchema::Variadic) return &formals.back();
  return nullptr;
}

class Converter {
 public:
  Converter(Model& model, const Float16Options& options) : model_(model), graph_(model.graph()), options_(options) {
    keep_ops_ = DefaultFloat16KeepOps();
    keep_ops_.insert(options.keep_ops.begin(), options.keep_ops.end());
  }

  Result<Float16Report> run() {
    InferShapes(model_);
    for (Value* value : graph_.initializers())
      if (value->initializer()->dtype() == DataType::kFloat) report_.float_bytes_before += value->initializer()->byteSize();
    for (Value* value : graph_.values())
      if (ElemTypeOf(value) == DataType::kFloat) float_values_.push_back(value);
    float_values_set_.insert(float_values_.begin(), float_values_.end());
    for (Node* node : graph_.nodes()) plans_[node] = classify(*node);
    applyNormalizationPatterns();
    applySandwiches();
    for (const auto& [node, plan] : plans_) {
      if (plan.decision == Decision::kConvert) ++report_.nodes_converted;
      if (plan.decision == Decision::kKeep) ++report_.nodes_kept;
    }
    rewrite();
    if (Status sorted = graph_.sortTopologically(); !sorted.ok()) return sorted;
    for (Value* value : graph_.initializers()) {
      DataType type = value->initializer()->dtype();
      if (type == DataType::kFloat || type == DataType::kFloat16) report_.float_bytes_after += value->initializer()->byteSize();
    }
    return report_;
  }

 private:
  // ----- Deciding -----

  NodePlan classify(const Node& node) {
    NodePlan plan;
    plan.input_to_half.assign(node.inputCount(), false);
    plan.output_to_half.assign(node.outputCount(), false);
    bool has_float = false, has_unknown = false;
    auto look = [&](const Value* value) {
      if (!value) return;
      DataType type = ElemTypeOf(value);
      has_float |= type == DataType::kFloat;
      has_unknown |= type == DataType::kUndefined;
    };
    for (const Value* input : node.inputs()) look(input);
    for (const Value* output : node.outputs()) look(output);
    if (node.is("Constant")) return plan;  // a constant source: its uses decide (see rewriteConstants)
    if (!has_float) return plan;
    plan.decision = Decision::kKeep;
    if (has_unknown || node.hasSubgraphs() || !node.isOnnxDomain() || keep_ops_.count(node.opType())) return plan;
    const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(
        node.opType(), static_cast<int>(model_.opsetVersion("").value_or(0)), "");
    if (!schema) return plan;

    // Per type constraint: does it allow float16, and which positions use it?
    auto allows_half = [&](const std::string& type_str) {
      for (const auto& constraint : schema->typeConstraintParams())
        if (constraint.type_param_str == type_str)
          return std::find(constraint.allowed_type_strs.begin(), constraint.allowed_type_strs.end(), kFloat16Type) !=
                 constraint.allowed_type_strs.end();
      return false;  // a literal type such as tensor(float): fixed
    };
    std::set<std::string> input_params;
    for (size_t i = 0; i < node.inputCount(); ++i)
      if (const auto* formal = Formal(schema->inputs(), i); formal && node.input(i))
        input_params.insert(formal->GetTypeStr());
    bool special_output = node.is("Cast") || node.is("ConstantOfShape");
    for (size_t i = 0; i < node.inputCount(); ++i) {
      if (ElemTypeOf(node.input(i)) != DataType::kFloat) continue;
      const auto* formal = Formal(schema->inputs(), i);
      if (!formal) return plan;
      plan.input_to_half[i] = allows_half(formal->GetTypeStr());
    }
    for (size_t i = 0; i < node.outputCount(); ++i) {
      if (ElemTypeOf(node.output(i)) != DataType::kFloat) continue;
      const auto* formal = Formal(schema->outputs(), i);
      if (!formal) return plan;
      // An output follows a converted input through a shared constraint; only Cast and
      // ConstantOfShape take their output type from an attribute we rewrite.
      bool follows_input = input_params.count(formal->GetTypeStr()) > 0;
      plan.output_to_half[i] = allows_half(formal->GetTypeStr()) && (follows_input || special_output);
      // A float32 output that cannot follow while inputs change type: keep the node whole.
      if (!plan.output_to_half[i]) return NodePlan{Decision::kKeep, std::vector<bool>(node.inputCount(), false),
                                                   std::vector<bool>(node.outputCount(), false)};
    }
    bool any = std::find(plan.input_to_half.begin(), plan.input_to_half.end(), true) != plan.input_to_half.end() ||
               std::find(plan.output_to_half.begin(), plan.output_to_half.end(), true) != plan.output_to_half.end();
    if (!any) return plan;
    plan.decision = Decision::kConvert;
    return plan;
  }

  bool sensitive(const Node* node) const { return node && node->isOnnxDomain() && keep_ops_.count(node->opType()); }

  bool nearSensitive(const Node& node) const {
    for (const Value* input : node.inputs()) {
      const Node* producer = input ? input->producer() : nullptr;
      if (sensitive(producer)) return true;
      if (producer && IsElementwiseArithmetic(*producer))
        for (const Value* second : producer->inputs())
          if (second && sensitive(second->producer())) return true;
    }
    for (const Value* output : node.outputs()) {
      if (!output) continue;
      for (const Use& use : output->uses()) {
        if (sensitive(use.user)) return true;
        if (IsElementwiseArithmetic(*use.user))
          for (const Value* next : use.user->outputs())
            if (next)
              for (const Use& second : next->uses())
                if (sensitive(second.user)) return true;
      }
    }
    return false;
  }

  void keep(Node* node) {
    NodePlan& plan = plans_[node];
    plan.decision = Decision::kKeep;
    std::fill(plan.input_to_half.begin(), plan.input_to_half.end(), false);
    std::fill(plan.output_to_half.begin(), plan.output_to_half.end(), false);
  }

  void applyNormalizationPatterns() {
    for (Node* node : graph_.nodes())
      if (plans_[node].decision == Decision::kConvert && IsNormalizationMath(*node) && nearSensitive(*node)) keep(node);
  }

  bool isConstantSource(const Value* value) const {
    if (!value) return false;
    if (value->isConstant()) return true;
    return value->producer() && value->producer()->is("Constant");
  }

  // A float32 source that stays float32 (a kept node's output, or an input under --keep-io-types).
  bool isFloatSource(const Value* value) {
    if (value->isGraphInput() && !value->isConstant()) return options_.keep_io_types;
    const Node* producer = value->producer();
    return producer && producer->owner() == &graph_ && !producer->is("Constant") &&
           plans_[const_cast<Node*>(producer)].decision == Decision::kKeep;
  }

  // Uses of a float value that want float32 (a kept node, a subgraph, an output under --keep-io-types).
  bool onlyFloatConsumers(const Value* value) {
    if (value->isGraphOutput() && !options_.keep_io_types) return false;
    for (const Use& use : value->uses()) {
      if (use.user->owner() != &graph_) continue;
      const NodePlan& plan = plans_[use.user];
      if (plan.decision == Decision::kConvert && plan.input_to_half[use.input_index]) return false;
    }
    return value->hasUses() || value->isGraphOutput();
  }

  void applySandwiches() {
    for (bool changed = true; changed;) {
      changed = false;
      for (Node* node : graph_.nodes()) {
        NodePlan& plan = plans_[node];
        if (plan.decision != Decision::kConvert || !IsCheap(*node)) continue;
        bool from_float = false, inputs_ok = true;
        for (size_t i = 0; i < node->inputCount() && inputs_ok; ++i) {
          if (!plan.input_to_half[i]) continue;
          const Value* input = node->input(i);
          if (isConstantSource(input)) continue;
          if (isFloatSource(input)) from_float = true;
          else inputs_ok = false;
        }
        if (!inputs_ok || !from_float) continue;
        bool outputs_ok = true;
        for (size_t i = 0; i < node->outputCount() && outputs_ok; ++i)
          if (plan.output_to_half[i]) outputs_ok = onlyFloatConsumers(node->output(i));
        if (!outputs_ok) continue;
        keep(node);
        changed = true;
      }
    }
  }

  // ----- Rewriting -----

  // The type a use of a float32 value wants.
  DataType wanted(const Use& use) {
    if (use.user->owner() != &graph_) return DataType::kFloat;  // inside a kept subgraph
    const NodePlan& plan = plans_[use.user];
    return plan.decision == Decision::kConvert && plan.input_to_half[use.input_index] ? DataType::kFloat16
                                                                                     : DataType::kFloat;
  }
  DataType wantedAtOutput() const { return options_.keep_io_types ? DataType::kFloat : DataType::kFloat16; }

  static void SetElemType(Value* value, DataType type) {
    value->mutableType()->mutable_tensor_type()->set_elem_type(static_cast<int32_t>(type));
  }

  // `value` as `type`: itself, the value a Cast of ours came from, or a (shared) Cast.
  Value* as(Value* value, DataType type) {
    if (ElemTypeOf(value) == type) return value;
    if (auto origin = cast_origin_.find(value); origin != cast_origin_.end() && ElemTypeOf(origin->second) == type)
      return origin->second;
    auto key = std::pair{value, type};
    if (auto cached = casts_.find(key); cached != casts_.end()) return cached->second;
    std::string hint = value->name() + (type == DataType::kFloat16 ? "_fp16" : "_fp32");
    Node* cast = graph_.createNode("Cast", {value}, 1, hint);
    cast->setAttribute(Attribute::Int("to", static_cast<int64_t>(type)));
    Value* output = cast->output(0);
    if (value->hasType()) *output->mutableType() = value->type();
    SetElemType(output, type);
    if (value->hasType() && value->type().tensor_type().has_shape()) graph_.setInValueInfo(output, true);
    casts_.emplace(key, output);
    cast_origin_.emplace(output, value);
    ++report_.casts_inserted;
    return output;
  }

  // Initializers and Constant tensors: float16 when every use wants it, both when uses differ.
  void rewriteConstants() {
    std::vector<Value*> constants;
    for (Value* value : graph_.values())
      if (isConstantSource(value) && ElemTypeOf(value) == DataType::kFloat) constants.push_back(value);
    for (Value* value : constants) {
      bool wants_half = value->isGraphOutput() && wantedAtOutput() == DataType::kFloat16;
      bool wants_float = value->isGraphOutput() && wantedAtOutput() == DataType::kFloat;
      for (const Use& use : value->uses()) (wanted(use) == DataType::kFloat16 ? wants_half : wants_float) = true;
      if (!wants_half) continue;
      const Tensor* tensor = value->isConstant() ? value->initializer().get() : nullptr;
      Node* constant_node = value->isConstant() ? nullptr : value->producer();
      if (constant_node) {
        const Attribute* attribute = constant_node->attribute("value");
        if (!attribute || !attribute->tensor()) continue;  // value_float(s): the Constant stays float32
        tensor = attribute->tensor().get();
      }
      TensorPtr half = ToHalf(*tensor);
      ++report_.constants_converted;
      if (!wants_float && !value->isGraphOutput()) {
        if (constant_node) {
          constant_node->setAttribute(Attribute::OfTensor("value", half));
          SetElemType(value, DataType::kFloat16);
        } else {
          graph_.setInitializer(value, half);
        }
        continue;
      }
      Value* copy = graph_.addInitializer(value->name() + "_fp16", half);
      std::vector<Use> uses = value->uses();
      for (const Use& use : uses)
        if (wanted(use) == DataType::kFloat16) use.user->setInput(use.input_index, copy);
    }
  }

  void rewrite() {
    rewriteConstants();
    // Types of converted nodes' outputs and attributes that fix them.
    for (auto& [node, plan] : plans_) {
      if (plan.decision != Decision::kConvert) continue;
      for (size_t i = 0; i < node->outputCount(); ++i)
        if (plan.output_to_half[i]) SetElemType(node->output(i), DataType::kFloat16);
      if (node->is("Cast") && plan.output_to_half[0])
        node->setAttribute(Attribute::Int("to", static_cast<int64_t>(DataType::kFloat16)));
      if (node->is("ConstantOfShape") && plan.output_to_half[0]) {
        const Attribute* value = node->attribute("value");
        TensorPtr half = value && value->tensor()
                             ? ToHalf(*value->tensor())
                             : Tensor::FromValues<uint16_t>(DataType::kFloat16, {1}, std::vector<uint16_t>{0});
        node->setAttribute(Attribute::OfTensor("value", half));
      }
    }
    // Graph inputs (and their defaults).
    if (!options_.keep_io_types)
      for (Value* input : graph_.inputs()) {
        if (input->isConstant() || input->elemType() != DataType::kFloat) continue;
        SetElemType(input, DataType::kFloat16);
        if (input->initializer()) graph_.setInitializer(input, ToHalf(*input->initializer()));
      }
    // Every use of a value that was float32 gets the type it wants.
    for (Value* value : float_values_) {
      std::vector<Use> uses = value->uses();
      for (const Use& use : uses) {
        Value* typed = as(value, wanted(use));
        if (typed != value) use.user->setInput(use.input_index, typed);
      }
    }
    rewriteOutputs();
  }

  void rewriteOutputs() {
    std::unordered_map<Value*, Value*> replaced;  // value -> the Cast output now holding its name
    for (size_t k = 0; k < graph_.outputs().size(); ++k) {
      Value* value = graph_.outputs()[k];
      if (!float_values_set_.count(value)) continue;
      DataType want = wantedAtOutput();
      if (ElemTypeOf(value) == want) continue;
      Value*& cast = replaced[value];
      if (!cast) {
        cast = as(value, want);
        std::string name = value->name();
        ONNXKIT_CHECK(!value->isGraphInput(), "float16: graph input '{}' would need renaming", name);
        graph_.renameValue(value, graph_.freshName(name + (want == DataType::kFloat ? "_fp16" : "_fp32")));
        graph_.renameValue(cast, name);
      }
      graph_.setOutput(k, cast);
    }
    if (!options_.keep_io_types)
      convert::EditOutputDeclarations(graph_, [&](size_t index, onnx::ValueInfoProto& declaration) {
        auto* tensor_type = declaration.mutable_type()->mutable_tensor_type();
        if (tensor_type->elem_type() == static_cast<int32_t>(DataType::kFloat) &&
            ElemTypeOf(graph_.outputs()[index]) == DataType::kFloat16)
          tensor_type->set_elem_type(static_cast<int32_t>(DataType::kFloat16));
      });
  }

  Model& model_;
  Graph& graph_;
  const Float16Options& options_;
  std::set<std::string> keep_ops_;
  std::unordered_map<Node*, NodePlan> plans_;
  std::map<std::pair<Value*, DataType>, Value*> casts_;
  std::unordered_map<Value*, Value*> cast_origin_;
  std::vector<Value*> float_values_;  // main-graph values that were float32, before rewriting
  std::unordered_set<const Value*> float_values_set_;
  Float16Report report_;
};

}  // namespace

const std::set<std::string>& DefaultFloat16KeepOps() {
  static const std::set<std::string> kOps = {
      "CumSum",          "GroupNormalization", "InstanceNormalization", "LayerNormalization", "LogSoftmax",
      "LpNormalization", "MeanVarianceNormalization", "ReduceL1", "ReduceL2", "ReduceLogSum",
      "ReduceLogSumExp", "ReduceMean", "ReduceProd", "ReduceSum", "ReduceSumSquare", "Softmax"};
  return kOps;
}

Result<Float16Report> ConvertToFloat16(Model& model, const Float16Options& options) {
  return Converter(model, options).run();
}

}  // namespace onnxkit
