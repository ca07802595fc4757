// The kernel interface. A kernel is created once per node (the "prepare" step: read and validate
// attributes, precompute what does not depend on run-time inputs) and run for every execution.
// Kernels never see the executor: they read inputs and allocate outputs through KernelContext.
//
// Errors are returned as Status; the executor prefixes the node ("node 'conv1' (Conv): ...").
// Kernels validate shapes and indices themselves and never read or write out of bounds.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "ir/node.h"
#include "ir/status.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime {

// What a kernel may look at when it is created.
struct KernelInfo {
  const Node& node;
  int64_t opset;  // version of the node's domain imported by the model
  // Types of the inputs at the first run (kUndefined for a missing optional input).
  std::vector<DataType> input_types;
  // Inputs that are constants of the model (initializers), else nullptr; for precomputation.
  std::vector<const Tensor*> constant_inputs;
};

class KernelContext {
 public:
  virtual ~KernelContext() = default;
  virtual const Node& node() const = 0;
  virtual int64_t opset() const = 0;

  // Inputs: nullptr for a missing optional input (or beyond the last input).
  virtual size_t inputCount() const = 0;
  virtual const Tensor* input(size_t i) const = 0;
  // The input, or an error naming which required input is missing.
  Result<const Tensor*> requiredInput(size_t i) const;

  virtual size_t outputCount() const = 0;
  // False when the node does not produce output i (an empty name in ONNX).
  virtual bool outputRequested(size_t i) const = 0;
  // Allocates output i (checked against the memory limit). Unrequested outputs get scratch storage.
  virtual Result<Tensor*> allocateOutput(size_t i, DataType type, const Shape& shape) = 0;
  // Sets output i to an existing tensor (e.g. a reshaped view of an input: no copy).
  virtual void setOutput(size_t i, Tensor tensor) = 0;

  // Runs a subgraph of this node (If/Loop/Scan bodies) with the given inputs; values of enclosing
  // graphs are visible to it. Returns its outputs in order.
  virtual Result<std::vector<Tensor>> runSubgraph(const Graph& graph, std::vector<Tensor> inputs) = 0;
  // Upper bound on Loop/Scan iterations (a hostile trip count fails instead of hanging).
  virtual int64_t maxLoopIterations() const = 0;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual Status run(KernelContext& context) = 0;
};

using KernelFactory = Result<std::unique_ptr<Kernel>> (*)(const KernelInfo& info);

// One entry of a kernel table: the op it implements for a range of opset versions. `types`, when
// not empty, lists the element types of the first present input this kernel accepts; the registry
// picks the first matching entry, so a specialized kernel listed earlier wins over a generic one.
// `optimized` marks the fast kernels (runtime/kernels/onednn/): sessions may be asked to skip
// them, and constant folding always does (its results are written into models, so they must not
// depend on the machine's instruction set or thread count).
struct KernelRegistration {
  std::string_view domain;  // "" for the default ONNX domain
  std::string_view op_type;
  int64_t since_version;
  int64_t until_version;  // inclusive
  KernelFactory create;
  std::vector<DataType> types = {};
  bool optimized = false;
};

constexpr int64_t kLatestOpset = 1000;

// A kernel made from a function, for ops with nothing to prepare.
template <Status (*Run)(KernelContext&)>
class FunctionKernel : public Kernel {
 public:
  static Result<std::unique_ptr<Kernel>> Create(const KernelInfo&) { return std::unique_ptr<Kernel>(new FunctionKernel()); }
  Status run(KernelContext& context) override { return Run(context); }
};

// Shorthand for registering a function kernel.
template <Status (*Run)(KernelContext&)>
constexpr KernelFactory Function() {
  return &FunctionKernel<Run>::Create;
}

// Factory for a kernel class K: default-constructs it and calls `Status prepare(const KernelInfo&)`.
template <typename K>
Result<std::unique_ptr<Kernel>> CreateKernel(const KernelInfo& info) {
  auto kernel = std::make_unique<K>();
  Status status = kernel->prepare(info);
  if (!status.ok()) return status;
  return std::unique_ptr<Kernel>(std::move(kernel));
}

}  // namespace onnxkit::runtime
