// The executor. A Session runs a Model's graph directly (no second representation): it plans
// each graph once (execution order, value slots, when each value dies), creates each node's kernel
// at its first execution (when input types are known), and frees every tensor after its last use.
// Subgraphs (If/Loop/Scan bodies) run in frames chained to the enclosing graph's frame, so they
// read outer-scope values in place.
//
// The model must outlive the session. run() is not reentrant: one run at a time per session.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ir/model.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime {

// Called after each node (subgraph nodes included) with its outputs (an undefined tensor for an
// output the node does not produce). The tensors may be freed right after the call, so an
// observer can see every intermediate tensor without the run keeping them all.
using NodeObserver = std::function<void(const Node& node, std::span<const Tensor> outputs)>;

struct RunOptions {
  NodeObserver observer;
};

struct SessionOptions {
  // Loop/Scan iteration bound: a larger trip count is an error, not a hang.
  int64_t max_loop_iterations = 10'000'000;
  // Threads of the optimized kernels (0: the machine's physical cores). They share one OpenMP
  // pool with oneDNN, so the two never oversubscribe the cores.
  int threads = 0;
  // Run every node on its reference kernel (the golden; slow), e.g. to compare against.
  bool reference_kernels = false;
};

// A graph input or output as declared: element type and dims (-1 where symbolic or unknown).
struct ValueSpec {
  std::string name;
  DataType type = DataType::kUndefined;
  bool has_shape = false;
  std::vector<int64_t> dims;
  std::vector<std::string> dim_names;  // the symbolic name where dims[i] is -1, else ""
  bool has_default = false;            // an initializer provides a value when the input is not fed
};

using NamedTensor = std::pair<std::string, Tensor>;

class Session {
 public:
  static Result<std::unique_ptr<Session>> Create(const Model& model, SessionOptions options = {});
  ~Session();

  const std::vector<ValueSpec>& inputs() const;
  const std::vector<ValueSpec>& outputs() const;

  // Runs the model. Inputs are matched by name; inputs with a default may be left out. Each fed
  // tensor must match the declared element type, rank and fixed dims. Returns the graph outputs.
  Result<std::vector<Tensor>> run(const std::vector<NamedTensor>& feeds, const RunOptions& options = {});

  struct Impl;  // opaque: plans, kernels, frames (session.cc)

 private:
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Declared element type and dims of a value (from its ValueInfoProto).
ValueSpec DescribeValue(const std::string& name, const onnx::TypeProto* type);

}  // namespace onnxkit::runtime
