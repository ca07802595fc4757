// Control flow: If, Loop, Scan. Bodies run through KernelContext::runSubgraph, in frames chained
// to the enclosing graph, so they read outer-scope values in place.
#include <cstring>

#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

// Copies `count` elements from src[src_offset...] to dst[dst_offset...] (same dtype, any type).
void CopyElements(const Tensor& src, int64_t src_offset, Tensor& dst, int64_t dst_offset, int64_t count) {
  if (src.dtype() == DataType::kString) {
    for (int64_t i = 0; i < count; ++i) CopyElement(src, src_offset + i, dst, dst_offset + i);
    return;
  }
  size_t size = ElementSize(src.dtype());
  std::memcpy(static_cast<char*>(dst.mutableRaw()) + dst_offset * static_cast<int64_t>(size),
              static_cast<const char*>(src.raw()) + src_offset * static_cast<int64_t>(size),
              static_cast<size_t>(count) * size);
}

// The sub-tensor at `index` along `axis` (that axis removed).
Result<Tensor> TakeAlongAxis(const Tensor& tensor, int64_t axis, int64_t index) {
  Shape shape = tensor.shape();
  int64_t outer = ProductOf(shape, 0, static_cast<size_t>(axis));
  int64_t extent = shape[static_cast<size_t>(axis)];
  int64_t inner = ProductOf(shape, static_cast<size_t>(axis) + 1, shape.size());
  shape.erase(shape.begin() + axis);
  ONNXKIT_ASSIGN_OR_RETURN(Tensor out, Tensor::Allocate(tensor.dtype(), shape));
  for (int64_t o = 0; o < outer; ++o) CopyElements(tensor, (o * extent + index) * inner, out, o * inner, inner);
  return out;
}

// Stacks equally shaped tensors along a new `axis`; `reverse` stores the last one first.
Result<Tensor> StackAlongAxis(const std::vector<Tensor>& parts, int64_t axis, bool reverse, const std::string& what) {
  const Shape& part_shape = parts.front().shape();
  for (const Tensor& part : parts) {
    if (part.shape() != part_shape || part.dtype() != parts.front().dtype())
      return Status::Error("{} changes shape across iterations: [{}] then [{}]", what, ShapeToString(part_shape),
                           ShapeToString(part.shape()));
  }
  Shape shape = part_shape;
  shape.insert(shape.begin() + axis, static_cast<int64_t>(parts.size()));
  ONNXKIT_ASSIGN_OR_RETURN(Tensor out, Tensor::Allocate(parts.front().dtype(), shape));
  int64_t outer = ProductOf(part_shape, 0, static_cast<size_t>(axis));
  int64_t inner = ProductOf(part_shape, static_cast<size_t>(axis), part_shape.size());
  int64_t count = static_cast<int64_t>(parts.size());
  for (int64_t t = 0; t < count; ++t) {
    const Tensor& part = parts[static_cast<size_t>(reverse ? count - 1 - t : t)];
    for (int64_t o = 0; o < outer; ++o) CopyElements(part, o * inner, out, (o * count + t) * inner, inner);
  }
  return out;
}

// An empty scan output for zero iterations: shape [0, declared dims...] where the body declares them.
Result<Tensor> EmptyScanOutput(const Graph& body, size_t output_index) {
  const auto& declaration = body.outputDeclaration(output_index);
  DataType type = DataType::kFloat;
  Shape shape{0};
  if (declaration.type().has_tensor_type()) {
    const auto& tensor_type = declaration.type().tensor_type();
    if (tensor_type.elem_type() != 0) type = static_cast<DataType>(tensor_type.elem_type());
    for (const auto& dim : tensor_type.shape().dim()) shape.push_back(dim.has_dim_value() ? dim.dim_value() : 0);
  }
  return Tensor::Allocate(type, shape);
}

Result<const Graph*> RequiredGraph(const Node& node, std::string_view name) {
  const Attribute* attribute = node.attribute(name);
  if (!attribute || !attribute->graph()) return Status::Error("missing graph attribute '{}'", name);
  return attribute->graph();
}

Status If(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* condition, context.requiredInput(0));
  if (condition->elementCount() != 1) return Status::Error("condition must have one element, got {}", DescribeTensor(*condition));
  bool take_then = condition->elementAsDouble(0) != 0;
  ONNXKIT_ASSIGN_OR_RETURN(const Graph* branch, RequiredGraph(context.node(), take_then ? "then_branch" : "else_branch"));
  ONNXKIT_ASSIGN_OR_RETURN(std::vector<Tensor> outputs, context.runSubgraph(*branch, {}));
  if (outputs.size() != context.outputCount())
    return Status::Error("branch produced {} outputs, the node has {}", outputs.size(), context.outputCount());
  for (size_t i = 0; i < outputs.size(); ++i) context.setOutput(i, std::move(outputs[i]));
  return Status::Ok();
}

Status Loop(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Graph* body, RequiredGraph(context.node(), "body"));
  const Tensor* trip_count = context.input(0);
  const Tensor* initial_condition = context.input(1);
  int64_t max_trips = std::numeric_limits<int64_t>::max();
  if (trip_count) {
    ONNXKIT_ASSIGN_OR_RETURN(max_trips, ReadScalarInt64(*trip_count, "trip count M"));
  }
  bool condition = true;
  if (initial_condition) {
    ONNXKIT_ASSIGN_OR_RETURN(double value, ReadScalarDouble(*initial_condition, "condition"));
    condition = value != 0;
  }
  // Without a condition, the trip count alone decides: refuse absurd counts up front.
  if (!initial_condition && max_trips > context.maxLoopIterations())
    return Status::Error("trip count {} exceeds the limit of {} iterations", max_trips, context.maxLoopIterations());

  size_t carried_count = context.inputCount() > 2 ? context.inputCount() - 2 : 0;
  if (body->inputs().size() != carried_count + 2)
    return Status::Error("body takes {} inputs, expected {} (iteration, condition, {} loop-carried)", body->inputs().size(),
                         carried_count + 2, carried_count);
  if (body->outputs().size() < carried_count + 1)
    return Status::Error("body has {} outputs, expected at least {}", body->outputs().size(), carried_count + 1);
  size_t scan_count = body->outputs().size() - 1 - carried_count;

  std::vector<Tensor> carried;
  for (size_t i = 0; i < carried_count; ++i) {
    const Tensor* value = context.input(2 + i);
    if (!value) return Status::Error("loop-carried input {} is missing", i);
    carried.push_back(*value);
  }
  std::vector<std::vector<Tensor>> scans(scan_count);
  int64_t iteration = 0;
  for (; iteration < max_trips && condition; ++iteration) {
    if (iteration >= context.maxLoopIterations())
      return Status::Error("loop ran past the limit of {} iterations", context.maxLoopIterations());
    std::vector<Tensor> inputs;
    inputs.push_back(Tensor::FromVector<int64_t>(DataType::kInt64, {}, {iteration}));
    inputs.push_back(Tensor::FromVector<uint8_t>(DataType::kBool, {}, {static_cast<uint8_t>(condition)}));
    for (const Tensor& value : carried) inputs.push_back(value);
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<Tensor> outputs, context.runSubgraph(*body, std::move(inputs)));
    ONNXKIT_ASSIGN_OR_RETURN(double next, ReadScalarDouble(outputs[0], "body condition output"));
    condition = next != 0;
    for (size_t i = 0; i < carried_count; ++i) carried[i] = std::move(outputs[1 + i]);
    for (size_t k = 0; k < scan_count; ++k) scans[k].push_back(std::move(outputs[1 + carried_count + k]));
  }
  for (size_t i = 0; i < carried_count; ++i) context.setOutput(i, std::move(carried[i]));
  for (size_t k = 0; k < scan_count; ++k) {
    Tensor stacked;
    if (scans[k].empty()) {
      ONNXKIT_ASSIGN_OR_RETURN(stacked, EmptyScanOutput(*body, 1 + carried_count + k));
    } else {
      ONNXKIT_ASSIGN_OR_RETURN(stacked, StackAlongAxis(scans[k], 0, false, fmt::format("scan output {}", k)));
    }
    context.setOutput(carried_count + k, std::move(stacked));
  }
  return Status::Ok();
}

// Scan (opset 9 and later): state variables plus scan inputs sliced along their scan axes.
class Scan : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    ONNXKIT_ASSIGN_OR_RETURN(body_, RequiredGraph(node, "body"));
    num_scan_inputs_ = node.getInt("num_scan_inputs", -1);
    batched_ = info.opset < 9;
    size_t leading = batched_ ? 1 : 0;  // opset 8: optional sequence_lens first
    if (num_scan_inputs_ < 1 || static_cast<size_t>(num_scan_inputs_) + leading > node.inputCount())
      return Status::Error("num_scan_inputs {} is invalid for {} inputs", num_scan_inputs_, node.inputCount());
    state_count_ = node.inputCount() - leading - static_cast<size_t>(num_scan_inputs_);
    if (body_->inputs().size() != state_count_ + static_cast<size_t>(num_scan_inputs_))
      return Status::Error("body takes {} inputs, expected {}", body_->inputs().size(),
                           state_count_ + static_cast<size_t>(num_scan_inputs_));
    if (body_->outputs().size() < state_count_)
      return Status::Error("body has {} outputs, fewer than the {} state variables", body_->outputs().size(), state_count_);
    scan_output_count_ = body_->outputs().size() - state_count_;
    input_directions_ = node.getInts(batched_ ? "directions" : "scan_input_directions")
                            .value_or(std::vector<int64_t>(static_cast<size_t>(num_scan_inputs_), 0));
    input_axes_ = node.getInts("scan_input_axes").value_or(std::vector<int64_t>(static_cast<size_t>(num_scan_inputs_), 0));
    output_directions_ = node.getInts("scan_output_directions").value_or(std::vector<int64_t>(scan_output_count_, 0));
    output_axes_ = node.getInts("scan_output_axes").value_or(std::vector<int64_t>(scan_output_count_, 0));
    if (input_directions_.size() != static_cast<size_t>(num_scan_inputs_) ||
        input_axes_.size() != static_cast<size_t>(num_scan_inputs_) || output_directions_.size() != scan_output_count_ ||
        output_axes_.size() != scan_output_count_)
      return Status::Error("scan axes/directions attributes do not match the number of scan inputs/outputs");
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    return batched_ ? runBatched(context) : runUnbatched(context);
  }

 private:
  // One scan over `states` and `scan_inputs` (no batch axis); returns final states and scan outputs.
  Result<std::vector<Tensor>> scan(KernelContext& context, std::vector<Tensor> states,
                                   const std::vector<Tensor>& scan_inputs, std::vector<int64_t> axes,
                                   std::optional<int64_t> length_limit) {
    int64_t length = -1;
    for (size_t k = 0; k < scan_inputs.size(); ++k) {
      ONNXKIT_ASSIGN_OR_RETURN(axes[k], NormalizeAxis(axes[k], static_cast<int64_t>(scan_inputs[k].rank())));
      int64_t extent = scan_inputs[k].dim(static_cast<size_t>(axes[k]));
      if (length >= 0 && extent != length)
        return Status::Error("scan inputs have different sequence lengths {} and {}", length, extent);
      length = extent;
    }
    int64_t steps = length_limit ? std::min(*length_limit, length) : length;
    if (steps > context.maxLoopIterations())
      return Status::Error("sequence length {} exceeds the limit of {} iterations", steps, context.maxLoopIterations());
    std::vector<std::vector<Tensor>> outputs(scan_output_count_);
    for (int64_t t = 0; t < steps; ++t) {
      std::vector<Tensor> inputs = states;
      for (size_t k = 0; k < scan_inputs.size(); ++k) {
        int64_t index = input_directions_[k] ? length - 1 - t : t;
        ONNXKIT_ASSIGN_OR_RETURN(Tensor slice, TakeAlongAxis(scan_inputs[k], axes[k], index));
        inputs.push_back(std::move(slice));
      }
      ONNXKIT_ASSIGN_OR_RETURN(std::vector<Tensor> results, context.runSubgraph(*body_, std::move(inputs)));
      for (size_t i = 0; i < state_count_; ++i) states[i] = std::move(results[i]);
      for (size_t k = 0; k < scan_output_count_; ++k) outputs[k].push_back(std::move(results[state_count_ + k]));
    }
    std::vector<Tensor> results = std::move(states);
    for (size_t k = 0; k < scan_output_count_; ++k) {
      if (outputs[k].empty()) {
        ONNXKIT_ASSIGN_OR_RETURN(Tensor empty, EmptyScanOutput(*body_, state_count_ + k));
        results.push_back(std::move(empty));
        continue;
      }
      int64_t axis = output_axes_[k];
      ONNXKIT_ASSIGN_OR_RETURN(axis, NormalizeAxis(axis, static_cast<int64_t>(outputs[k].front().rank()) + 1));
      ONNXKIT_ASSIGN_OR_RETURN(Tensor stacked, StackAlongAxis(outputs[k], axis, output_directions_[k] != 0,
                                                              fmt::format("scan output {}", k)));
      results.push_back(std::move(stacked));
    }
    return results;
  }

  Status runUnbatched(KernelContext& context) {
    std::vector<Tensor> states, scan_inputs;
    for (size_t i = 0; i < context.inputCount(); ++i) {
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* input, context.requiredInput(i));
      (i < state_count_ ? states : scan_inputs).push_back(*input);
    }
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<Tensor> results, scan(context, std::move(states), scan_inputs, input_axes_, std::nullopt));
    for (size_t i = 0; i < results.size(); ++i) context.setOutput(i, std::move(results[i]));
    return Status::Ok();
  }

  // Opset 8: every input has a leading batch axis; scan axes are 1 (0 after taking a batch entry).
  Status runBatched(KernelContext& context) {
    const Tensor* sequence_lengths = context.input(0);
    std::vector<const Tensor*> inputs;
    for (size_t i = 1; i < context.inputCount(); ++i) {
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* input, context.requiredInput(i));
      if (input->rank() < 1) return Status::Error("input {} has no batch axis", i);
      inputs.push_back(input);
    }
    int64_t batch = inputs.front()->dim(0);
    std::vector<int64_t> lengths;
    if (sequence_lengths) {
      ONNXKIT_ASSIGN_OR_RETURN(lengths, ReadInt64s(*sequence_lengths, "sequence_lens"));
    }
    if (!lengths.empty() && static_cast<int64_t>(lengths.size()) != batch)
      return Status::Error("sequence_lens has {} entries for a batch of {}", lengths.size(), batch);
    std::vector<std::vector<Tensor>> per_batch;
    for (int64_t b = 0; b < batch; ++b) {
      std::vector<Tensor> states, scan_inputs;
      for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i]->dim(0) != batch) return Status::Error("inputs disagree on the batch size");
        ONNXKIT_ASSIGN_OR_RETURN(Tensor entry, TakeAlongAxis(*inputs[i], 0, b));
        (i < state_count_ ? states : scan_inputs).push_back(std::move(entry));
      }
      std::optional<int64_t> limit;
      if (!lengths.empty()) limit = lengths[static_cast<size_t>(b)];
      ONNXKIT_ASSIGN_OR_RETURN(std::vector<Tensor> results,
                               scan(context, std::move(states), scan_inputs, std::vector<int64_t>(scan_inputs.size(), 0), limit));
      per_batch.push_back(std::move(results));
    }
    for (size_t i = 0; i < state_count_ + scan_output_count_; ++i) {
      std::vector<Tensor> parts;
      for (auto& results : per_batch) parts.push_back(std::move(results[i]));
      if (parts.empty()) return Status::Error("empty batch");
      ONNXKIT_ASSIGN_OR_RETURN(Tensor stacked, StackAlongAxis(parts, 0, false, fmt::format("output {}", i)));
      context.setOutput(i, std::move(stacked));
    }
    return Status::Ok();
  }

  const Graph* body_ = nullptr;
  int64_t num_scan_inputs_ = 0;
  bool batched_ = false;
  size_t state_count_ = 0;
  size_t scan_output_count_ = 0;
  std::vector<int64_t> input_directions_, input_axes_, output_directions_, output_axes_;
};

const KernelRegistration kKernels[] = {
    {"", "If", 1, kLatestOpset, Function<If>()},
    {"", "Loop", 1, kLatestOpset, Function<Loop>()},
    {"", "Scan", 8, kLatestOpset, CreateKernel<Scan>},
};

}  // namespace

std::span<const KernelRegistration> ControlFlowKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
