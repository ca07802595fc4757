// A value: a graph input, an initializer, a sparse initializer or a node output. Nodes hold Value
// pointers, so renaming a value or replacing its uses never touches strings elsewhere; names only
// matter when the model is written out.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/dtype.h"
#include "ir/tensor.h"

namespace onnxkit {

class Graph;
class Node;

// One use of a value: input `input_index` of node `user`.
struct Use {
  Node* user;
  size_t input_index;
  bool operator==(const Use&) const = default;
};

class Value {
 public:
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;

  const std::string& name() const { return info_.name(); }
  Graph* owner() const { return owner_; }

  // Definition.
  Node* producer() const { return producer_; }
  size_t producerOutputIndex() const { return producer_output_index_; }
  bool isGraphInput() const { return is_graph_input_; }
  bool isInitializer() const { return initializer_ != nullptr; }
  bool isSparseInitializer() const { return sparse_initializer_ != nullptr; }
  // Initializer data (also for an input with a default value, in models of IR version < 4).
  const TensorPtr& initializer() const { return initializer_; }
  const std::shared_ptr<const onnx::SparseTensorProto>& sparseInitializer() const { return sparse_initializer_; }
  // A value whose contents are fixed in the model: an initializer that is not also a graph input
  // (a graph input's initializer is only a default that the caller may override).
  bool isConstant() const { return initializer_ && !is_graph_input_; }
  // Defined by something: a node, a graph input or an (sparse) initializer. Undefined values exist
  // only where a file referenced a name nothing defines; the verifier reports them.
  bool isDefined() const { return producer_ || is_graph_input_ || initializer_ || sparse_initializer_; }

  // Uses by nodes (in this graph or in nested subgraphs). Graph outputs are not uses.
  const std::vector<Use>& uses() const { return uses_; }
  bool hasUses() const { return !uses_.empty(); }
  bool isGraphOutput() const { return graph_output_count_ > 0; }

  // Type information, from a graph input/output declaration or value_info, or set by a pass.
  bool hasType() const { return info_.has_type(); }
  const onnx::TypeProto& type() const { return info_.type(); }
  onnx::TypeProto* mutableType() { return info_.mutable_type(); }
  // Tensor element type; kUndefined when no tensor type is known.
  DataType elemType() const;
  // Tensor shape when every dimension has a known value.
  std::optional<std::vector<int64_t>> staticShape() const;
  // Rank when the tensor shape is declared.
  std::optional<int64_t> rank() const;
  // The ValueInfoProto this value is written as (name, type, doc_string, unknown fields).
  const onnx::ValueInfoProto& info() const { return info_; }
  onnx::ValueInfoProto* mutableInfo() { return &info_; }
  // Listed in the graph's value_info.
  bool inValueInfo() const { return value_info_order_ >= 0; }

 private:
  friend class Graph;
  friend class Node;
  Value() = default;
  void removeUse(Node* user, size_t input_index);

  onnx::ValueInfoProto info_;
  Graph* owner_ = nullptr;
  Node* producer_ = nullptr;
  size_t producer_output_index_ = 0;
  std::vector<Use> uses_;
  bool is_graph_input_ = false;
  int graph_output_count_ = 0;
  TensorPtr initializer_;
  std::shared_ptr<const onnx::SparseTensorProto> sparse_initializer_;
  // Position among the graph's initializers / value_info when written (-1: not listed).
  int64_t initializer_order_ = -1;
  int64_t sparse_initializer_order_ = -1;
  int64_t value_info_order_ = -1;
  std::list<std::unique_ptr<Value>>::iterator position_;
};

}  // namespace onnxkit
