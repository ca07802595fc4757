// A graph: nodes, the values they define and use, graph inputs/outputs, initializers and
// value_info. The main graph belongs to a Model; a subgraph belongs to a node attribute and may use
// values of its enclosing graphs directly (outer-scope references are plain Value pointers).
//
// Nodes are kept in a list whose order is preserved but not trusted: topologicalOrder() computes a
// valid order on demand (stable: an already sorted graph keeps its order), and export uses it.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/node.h"
#include "ir/status.h"
#include "ir/value.h"

namespace onnxkit {

class Model;

class Graph {
 public:
  Graph(Model* model, Graph* parent);
  ~Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  Model& model() const { return *model_; }
  // The enclosing graph (nullptr for the main graph) and the node whose attribute holds this one.
  Graph* parent() const { return parent_; }
  Node* ownerNode() const { return owner_node_; }
  // True when `other` is this graph or encloses it.
  bool isWithin(const Graph& other) const;
  int depth() const;  // 0 for the main graph

  const std::string& name() const { return metadata_.name(); }
  // The GraphProto without node/initializer/input/output/value_info/sparse_initializer:
  // name, doc_string, quantization_annotation, unknown fields.
  const onnx::GraphProto& metadata() const { return metadata_; }
  onnx::GraphProto* mutableMetadata() { return &metadata_; }

  // ----- Values -----
  const std::vector<Value*>& inputs() const { return inputs_; }
  const std::vector<Value*>& outputs() const { return outputs_; }
  Value* addInput(std::string name);
  // Takes a value off the input list. The value stays (with its uses); an input that had an
  // initializer (a default value) becomes a constant whose type is its tensor's.
  void removeInput(size_t index);
  // A graph output. Its declaration (type, doc_string) is a contract of the graph: it stays with
  // the output position when a pass makes another value the output; only the name follows the value.
  void addOutput(Value* value);
  void addOutput(Value* value, onnx::ValueInfoProto declaration);
  void setOutput(size_t index, Value* value);
  void removeOutput(size_t index);
  const onnx::ValueInfoProto& outputDeclaration(size_t index) const { return output_declarations_[index]; }
  // Initializers in the order they are written.
  std::vector<Value*> initializers() const;
  std::vector<Value*> sparseInitializers() const;
  // Values listed in value_info, in the order they are written.
  std::vector<Value*> valueInfos() const;
  // A new constant with a fresh name derived from `name_hint`.
  Value* addInitializer(std::string_view name_hint, TensorPtr tensor);
  // Adds, replaces or (with nullptr) drops the data of an initializer or input default.
  void setInitializer(Value* value, TensorPtr tensor);
  void setSparseInitializer(Value* value, std::shared_ptr<const onnx::SparseTensorProto> tensor);
  void setInValueInfo(Value* value, bool listed);
  // Every value this graph owns, in creation order.
  std::vector<Value*> values() const;
  size_t valueCount() const { return values_.size(); }

  // Removes a value that nothing uses or defines any more (no producer, no uses, not a graph
  // input or output). Initializers and value_info entries of it go too.
  void eraseValue(Value* value);

  // ----- Nodes -----
  std::vector<Node*> nodes() const;  // in list order
  size_t nodeCount() const { return nodes_.size(); }
  // A node with `output_count` outputs named fresh from `output_name_hint` (or the op type),
  // inserted before `insert_before` (or at the end).
  Node* createNode(std::string op_type, std::span<Value* const> inputs, size_t output_count,
                   std::string_view output_name_hint = {}, Node* insert_before = nullptr);
  Node* createNode(std::string op_type, std::initializer_list<Value*> inputs, size_t output_count,
                   std::string_view output_name_hint = {}, Node* insert_before = nullptr) {
    return createNode(std::move(op_type), std::span<Value* const>(inputs.begin(), inputs.size()),
                      output_count, output_name_hint, insert_before);
  }
  // Used by the importer: outputs with exactly these names ("" = not produced).
  Node* createNodeWithOutputNames(std::string op_type, std::span<const std::string> output_names);
  // Removes a node. Its outputs must have no uses and not be graph outputs (they are erased);
  // its inputs lose the use, and nested subgraphs release their outer-scope uses.
  void removeNode(Node* node);
  // Moves `node` to just before `anchor` in the list (both in this graph).
  void moveBefore(Node* node, Node* anchor);

  // Every use of `from` now uses `to` (in this graph and nested subgraphs). Graph outputs are not
  // changed: see ReplaceValue in ir/rewrite.h for the variant that keeps output names.
  void replaceAllUsesWith(Value* from, Value* to);

  // A valid execution order, or an error naming a node on a cycle. Stable: a graph already in
  // topological order keeps its order. Considers outer-scope uses of subgraphs.
  Result<std::vector<Node*>> topologicalOrder() const;
  // Reorders the node list topologically.
  Status sortTopologically();

  // ----- Names -----
  // A name no value in the model has ever had, derived from `hint`.
  std::string freshName(std::string_view hint) const;
  // Renames a value; the caller guarantees the new name is free in its scope.
  void renameValue(Value* value, std::string name);

  // Used by the importer: a value with exactly this name (possibly undefined until something
  // defines it). Does not check uniqueness; the verifier does.
  Value* createValue(std::string name);

 private:
  friend class Node;
  friend class Model;  // Model::swap re-points model_
  void dropUses(Node& node);  // releases the node's input uses, recursively through subgraphs

  Model* model_;
  Graph* parent_;
  Node* owner_node_ = nullptr;
  onnx::GraphProto metadata_;
  std::list<std::unique_ptr<Node>> nodes_;
  std::list<std::unique_ptr<Value>> values_;
  std::vector<Value*> inputs_;
  std::vector<Value*> outputs_;
  std::vector<onnx::ValueInfoProto> output_declarations_;
  int64_t next_order_ = 0;  // for initializer/value_info positions of new entries
};

// Visits `graph` and every graph nested in it (pre-order: a graph before its subgraphs).
void ForEachGraph(Graph& graph, const std::function<void(Graph&)>& visit);

}  // namespace onnxkit
