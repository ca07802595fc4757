#include "runtime/session.h"

#include <unordered_map>

#include "ir/verifier.h"
#include "runtime/kernel_registry.h"
#include "runtime/threading.h"
#include "runtime/tensor_io.h"

namespace onnxkit::runtime {
namespace {

// Where a value lives: `depth` frames up from the current one (0: this graph), at `slot`.
struct ValueRef {
  int depth = 0;
  int slot = -1;
};

struct Step {
  const Node* node = nullptr;
  int64_t opset = 0;
  std::vector<ValueRef> inputs;   // slot -1: missing optional input
  std::vector<int> outputs;       // -1: output not produced
  std::vector<int> release;       // local slots whose last use is this step
  std::vector<const KernelRegistration*> candidates;
  std::unique_ptr<Kernel> kernel;  // created at the first execution
};

struct GraphPlan {
  const Graph* graph = nullptr;
  const GraphPlan* parent = nullptr;
  int slot_count = 0;
  std::unordered_map<const Value*, int> slots;
  std::vector<int> input_slots;
  std::vector<Tensor> input_defaults;  // undefined where the input has no initializer
  std::vector<std::pair<int, Tensor>> constants;
  std::vector<ValueRef> outputs;
  std::vector<Step> steps;
};

struct Frame {
  const GraphPlan* plan;
  std::vector<Tensor> values;
  Frame* parent;
};

Tensor* Resolve(Frame& frame, const ValueRef& ref) {
  Frame* f = &frame;
  for (int i = 0; i < ref.depth; ++i) f = f->parent;
  return &f->values[static_cast<size_t>(ref.slot)];
}

}  // namespace

ValueSpec DescribeValue(const std::string& name, const onnx::TypeProto* type) {
  ValueSpec spec;
  spec.name = name;
  if (!type || !type->has_tensor_type()) return spec;
  spec.type = static_cast<DataType>(type->tensor_type().elem_type());
  if (!type->tensor_type().has_shape()) return spec;
  spec.has_shape = true;
  for (const auto& dim : type->tensor_type().shape().dim()) {
    spec.dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    spec.dim_names.push_back(dim.has_dim_param() ? dim.dim_param() : "");
  }
  return spec;
}

struct Session::Impl {
  const Model& model;
  SessionOptions options;
  std::unordered_map<const Graph*, std::unique_ptr<GraphPlan>> plans;
  std::vector<ValueSpec> input_specs;
  std::vector<ValueSpec> output_specs;

  Impl(const Model& m, SessionOptions o) : model(m), options(o) {}

  Result<GraphPlan*> buildPlan(const Graph& graph, const GraphPlan* parent);
  Result<ValueRef> refer(const GraphPlan& plan, const Value* value) const;
  Status execute(GraphPlan& plan, Frame& frame, const RunOptions& run_options);
  Status runStep(Step& step, Frame& frame, const RunOptions& run_options);
  Result<std::vector<Tensor>> runGraph(GraphPlan& plan, Frame* parent, std::vector<Tensor> inputs,
                                       const RunOptions& run_options);
};

Result<ValueRef> Session::Impl::refer(const GraphPlan& plan, const Value* value) const {
  int depth = 0;
  for (const GraphPlan* p = &plan; p; p = p->parent, ++depth) {
    auto it = p->slots.find(value);
    if (it != p->slots.end()) return ValueRef{depth, it->second};
  }
  return Status::Error("value '{}' is not visible from {}", value->name(), DescribeGraph(*plan.graph));
}

Result<GraphPlan*> Session::Impl::buildPlan(const Graph& graph, const GraphPlan* parent) {
  auto plan = std::make_unique<GraphPlan>();
  plan->graph = &graph;
  plan->parent = parent;
  for (const Value* value : graph.values()) plan->slots.emplace(value, plan->slot_count++);

  for (const Value* input : graph.inputs()) {
    plan->input_slots.push_back(plan->slots.at(input));
    Tensor fallback;
    if (input->initializer()) {
      auto converted = FromIrTensor(input->initializer());
      if (!converted.ok()) return converted.status().WithContext(fmt::format("input '{}'", input->name()));
      fallback = std::move(converted).value();
    }
    plan->input_defaults.push_back(std::move(fallback));
  }
  for (const Value* value : graph.initializers()) {
    if (value->isGraphInput()) continue;
    auto converted = FromIrTensor(value->initializer());
    if (!converted.ok()) return converted.status().WithContext(fmt::format("initializer '{}'", value->name()));
    plan->constants.emplace_back(plan->slots.at(value), std::move(converted).value());
  }
  for (const Value* value : graph.sparseInitializers())
    return Status::Error("sparse initializer '{}' is not supported by the runtime", value->name());

  ONNXKIT_ASSIGN_OR_RETURN(std::vector<Node*> order, graph.topologicalOrder());
  std::vector<int> last_use(static_cast<size_t>(plan->slot_count), -1);
  for (const Node* node : order) {
    Step step;
    step.node = node;
    auto opset = model.opsetVersion(node->domain());
    if (!opset) return Status::Error("{}: domain '{}' has no opset import", node->describe(), node->domain());
    step.opset = *opset;
    step.candidates = FindKernels(node->domain(), node->opType(), step.opset,
                                  options.reference_kernels ? KernelSet::kReferenceOnly : KernelSet::kOptimized);
    if (step.candidates.empty())
      return Status::Error("{}: no kernel for op '{}' of domain '{}' at opset {}", node->describe(), node->opType(),
                           node->domain().empty() ? "ai.onnx" : node->domain(), step.opset);
    int index = static_cast<int>(plan->steps.size());
    for (const Value* input : node->inputs()) {
      if (!input) {
        step.inputs.push_back(ValueRef{});
        continue;
      }
      ONNXKIT_ASSIGN_OR_RETURN(ValueRef ref, refer(*plan, input));
      if (ref.depth == 0) last_use[static_cast<size_t>(ref.slot)] = index;
      step.inputs.push_back(ref);
    }
    if (node->hasSubgraphs()) {
      for (const Value* outer : node->outerScopeInputs()) {
        auto it = plan->slots.find(outer);
        if (it != plan->slots.end()) last_use[static_cast<size_t>(it->second)] = index;
      }
    }
    for (const Value* output : node->outputs()) step.outputs.push_back(output ? plan->slots.at(output) : -1);
    plan->steps.push_back(std::move(step));
  }

  for (const Value* output : graph.outputs()) {
    ONNXKIT_ASSIGN_OR_RETURN(ValueRef ref, refer(*plan, output));
    plan->outputs.push_back(ref);
  }

  // Release each local value after its last use, except graph outputs and constants. A value
  // nobody reads dies right after the step that produced it.
  std::vector<bool> keep(static_cast<size_t>(plan->slot_count), false);
  for (const ValueRef& ref : plan->outputs)
    if (ref.depth == 0) keep[static_cast<size_t>(ref.slot)] = true;
  for (const auto& [slot, tensor] : plan->constants) keep[static_cast<size_t>(slot)] = true;
  for (size_t i = 0; i < plan->steps.size(); ++i) {
    for (int slot : plan->steps[i].outputs)
      if (slot >= 0 && last_use[static_cast<size_t>(slot)] < 0) last_use[static_cast<size_t>(slot)] = static_cast<int>(i);
  }
  for (int slot = 0; slot < plan->slot_count; ++slot) {
    int step = last_use[static_cast<size_t>(slot)];
    if (step >= 0 && !keep[static_cast<size_t>(slot)]) plan->steps[static_cast<size_t>(step)].release.push_back(slot);
  }

  GraphPlan* raw = plan.get();
  plans.emplace(&graph, std::move(plan));
  for (const Node* node : order) {
    Status status;
    node->forEachSubgraph([&](Graph& subgraph) {
      if (status.ok()) status = buildPlan(subgraph, raw).status();
    });
    ONNXKIT_RETURN_IF_ERROR(status);
  }
  return raw;
}

namespace {

class StepContext : public KernelContext {
 public:
  StepContext(Session::Impl& session, Step& step, Frame& frame, std::vector<const Tensor*> inputs,
              const RunOptions& run_options)
      : session_(session), step_(step), frame_(frame), inputs_(std::move(inputs)), run_options_(run_options),
        outputs_(step.outputs.size()) {}

  const Node& node() const override { return *step_.node; }
  int64_t opset() const override { return step_.opset; }
  size_t inputCount() const override { return inputs_.size(); }
  const Tensor* input(size_t i) const override { return i < inputs_.size() ? inputs_[i] : nullptr; }
  size_t outputCount() const override { return outputs_.size(); }
  bool outputRequested(size_t i) const override { return i < step_.outputs.size() && step_.outputs[i] >= 0; }

  // Outputs beyond the node's own (optional trailing outputs it omits) get scratch storage that is
  // dropped, so kernels may always write every output their op defines.
  Result<Tensor*> allocateOutput(size_t i, DataType type, const Shape& shape) override {
    Tensor& slot = i < outputs_.size() ? outputs_[i] : scratch_;
    ONNXKIT_ASSIGN_OR_RETURN(slot, Tensor::Allocate(type, shape));
    return &slot;
  }
  void setOutput(size_t i, Tensor tensor) override {
    if (i < outputs_.size()) outputs_[i] = std::move(tensor);
  }
  Result<std::vector<Tensor>> runSubgraph(const Graph& graph, std::vector<Tensor> inputs) override;
  int64_t maxLoopIterations() const override { return session_.options.max_loop_iterations; }

  std::vector<Tensor>& outputs() { return outputs_; }

 private:
  Session::Impl& session_;
  Step& step_;
  Frame& frame_;
  std::vector<const Tensor*> inputs_;
  const RunOptions& run_options_;
  std::vector<Tensor> outputs_;
  Tensor scratch_;
};

Result<std::vector<Tensor>> StepContext::runSubgraph(const Graph& graph, std::vector<Tensor> inputs) {
  auto it = session_.plans.find(&graph);
  ONNXKIT_CHECK(it != session_.plans.end(), "no plan for a subgraph of {}", step_.node->describe());
  return session_.runGraph(*it->second, &frame_, std::move(inputs), run_options_);
}

}  // namespace

Status Session::Impl::runStep(Step& step, Frame& frame, const RunOptions& run_options) {
  std::vector<const Tensor*> inputs;
  inputs.reserve(step.inputs.size());
  for (const ValueRef& ref : step.inputs) {
    const Tensor* tensor = ref.slot < 0 ? nullptr : Resolve(frame, ref);
    inputs.push_back(tensor && tensor->defined() ? tensor : nullptr);
  }
  const Node& node = *step.node;
  if (!step.kernel) {
    KernelInfo info{node, step.opset, {}, {}};
    DataType first_type = DataType::kUndefined;
    for (const Tensor* tensor : inputs) {
      info.input_types.push_back(tensor ? tensor->dtype() : DataType::kUndefined);
      if (tensor && first_type == DataType::kUndefined) first_type = tensor->dtype();
    }
    for (size_t i = 0; i < step.inputs.size(); ++i) {
      const Value* value = node.input(i);
      info.constant_inputs.push_back(value && value->isConstant() ? inputs[i] : nullptr);
    }
    const KernelRegistration* registration = SelectKernel(step.candidates, first_type);
    if (!registration)
      return Status::Error("{}: no kernel for op '{}' with input type {}", node.describe(), node.opType(),
                           DataTypeName(first_type));
    auto kernel = registration->create(info);
    if (!kernel.ok()) return kernel.status().WithContext(node.describe());
    step.kernel = std::move(kernel).value();
  }

  StepContext context(*this, step, frame, std::move(inputs), run_options);
  Status status = step.kernel->run(context);
  if (!status.ok()) return status.WithContext(node.describe());
  std::vector<Tensor>& outputs = context.outputs();
  for (size_t i = 0; i < step.outputs.size(); ++i) {
    if (step.outputs[i] < 0) {
      outputs[i] = Tensor();  // scratch output the node does not expose
      continue;
    }
    ONNXKIT_CHECK(outputs[i].defined(), "{}: the kernel produced no output {}", node.describe(), i);
  }
  if (run_options.observer) run_options.observer(node, outputs);
  for (size_t i = 0; i < step.outputs.size(); ++i)
    if (step.outputs[i] >= 0) frame.values[static_cast<size_t>(step.outputs[i])] = std::move(outputs[i]);
  for (int slot : step.release) frame.values[static_cast<size_t>(slot)] = Tensor();
  return Status::Ok();
}

Status Session::Impl::execute(GraphPlan& plan, Frame& frame, const RunOptions& run_options) {
  for (Step& step : plan.steps) ONNXKIT_RETURN_IF_ERROR(runStep(step, frame, run_options));
  return Status::Ok();
}

Result<std::vector<Tensor>> Session::Impl::runGraph(GraphPlan& plan, Frame* parent, std::vector<Tensor> inputs,
                                                    const RunOptions& run_options) {
  if (inputs.size() > plan.input_slots.size())
    return Status::Error("{} takes {} inputs, got {}", DescribeGraph(*plan.graph), plan.input_slots.size(), inputs.size());
  Frame frame{&plan, std::vector<Tensor>(static_cast<size_t>(plan.slot_count)), parent};
  for (const auto& [slot, tensor] : plan.constants) frame.values[static_cast<size_t>(slot)] = tensor;
  for (size_t i = 0; i < plan.input_slots.size(); ++i) {
    Tensor value = i < inputs.size() ? std::move(inputs[i]) : plan.input_defaults[i];
    frame.values[static_cast<size_t>(plan.input_slots[i])] = std::move(value);
  }
  ONNXKIT_RETURN_IF_ERROR(execute(plan, frame, run_options));
  std::vector<Tensor> outputs;
  outputs.reserve(plan.outputs.size());
  for (const ValueRef& ref : plan.outputs) outputs.push_back(*Resolve(frame, ref));
  return outputs;
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::Create(const Model& model, SessionOptions options) {
  auto impl = std::make_unique<Impl>(model, options);
  const Graph& graph = model.graph();
  auto plan = impl->buildPlan(graph, nullptr);
  if (!plan.ok()) return plan.status();
  for (const Value* input : graph.inputs()) {
    ValueSpec spec = DescribeValue(input->name(), input->hasType() ? &input->type() : nullptr);
    spec.has_default = input->isInitializer();
    impl->input_specs.push_back(std::move(spec));
  }
  for (size_t i = 0; i < graph.outputs().size(); ++i) {
    const auto& declaration = graph.outputDeclaration(i);
    impl->output_specs.push_back(
        DescribeValue(graph.outputs()[i]->name(), declaration.has_type() ? &declaration.type() : nullptr));
  }
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

const std::vector<ValueSpec>& Session::inputs() const { return impl_->input_specs; }
const std::vector<ValueSpec>& Session::outputs() const { return impl_->output_specs; }

namespace {

Status CheckFeed(const ValueSpec& spec, const Tensor& tensor) {
  if (spec.type != DataType::kUndefined && tensor.dtype() != spec.type)
    return Status::Error("input '{}' must be {}, got {}", spec.name, DataTypeName(spec.type), DataTypeName(tensor.dtype()));
  if (!spec.has_shape) return Status::Ok();
  if (tensor.rank() != spec.dims.size())
    return Status::Error("input '{}' must have rank {} (shape [{}]), got shape [{}]", spec.name, spec.dims.size(),
                         ShapeToString(spec.dims), ShapeToString(tensor.shape()));
  for (size_t d = 0; d < spec.dims.size(); ++d) {
    if (spec.dims[d] >= 0 && spec.dims[d] != tensor.dim(d))
      return Status::Error("input '{}' dimension {} must be {}, got shape [{}]", spec.name, d, spec.dims[d],
                           ShapeToString(tensor.shape()));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Tensor>> Session::run(const std::vector<NamedTensor>& feeds, const RunOptions& options) {
  const auto& specs = impl_->input_specs;
  GraphPlan& plan = *impl_->plans.at(&impl_->model.graph());
  std::vector<Tensor> inputs(specs.size());
  for (const auto& [name, tensor] : feeds) {
    size_t index = 0;
    while (index < specs.size() && specs[index].name != name) ++index;
    if (index == specs.size()) {
      std::string known;
      for (const auto& spec : specs) known += (known.empty() ? "" : ", ") + spec.name;
      return Status::Error("unknown input '{}' (the model's inputs: {})", name, known);
    }
    ONNXKIT_RETURN_IF_ERROR(CheckFeed(specs[index], tensor));
    inputs[index] = tensor;
  }
  for (size_t i = 0; i < specs.size(); ++i) {
    if (inputs[i].defined()) continue;
    if (!plan.input_defaults[i].defined()) return Status::Error("input '{}' was not given", specs[i].name);
    inputs[i] = plan.input_defaults[i];
  }
  SetKernelThreads(impl_->options.threads);
  return impl_->runGraph(plan, nullptr, std::move(inputs), options);
}

}  // namespace onnxkit::runtime
