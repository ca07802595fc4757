// A node: an operator applied to input values, defining output values. Missing optional inputs
// and outputs (an empty name in ONNX) are nullptr. Changes to inputs go through the node so that
// the values' use lists stay right.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/attribute.h"
#include "ir/value.h"

namespace onnxkit {

class Graph;

class Node {
 public:
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  const std::string& opType() const { return metadata_.op_type(); }
  // "" for the default ONNX domain ("ai.onnx" is normalized to "" by domain(), not in the file).
  const std::string& domain() const { return metadata_.domain(); }
  bool isOnnxDomain() const { return domain().empty() || domain() == "ai.onnx"; }
  // True for op_type in the default ONNX domain.
  bool is(std::string_view op_type) const { return opType() == op_type && isOnnxDomain(); }
  const std::string& name() const { return metadata_.name(); }
  void setName(std::string name) { metadata_.set_name(std::move(name)); }
  void setOpType(std::string op_type, std::string domain = "");
  // "node 'name' (OpType)" or "node #position (OpType)" for unnamed nodes: for messages.
  std::string describe() const;

  Graph* owner() const { return owner_; }

  // Inputs: nullptr marks a missing optional input.
  const std::vector<Value*>& inputs() const { return inputs_; }
  size_t inputCount() const { return inputs_.size(); }
  Value* input(size_t i) const { return i < inputs_.size() ? inputs_[i] : nullptr; }
  void setInput(size_t i, Value* value);
  void addInput(Value* value);
  void removeInput(size_t i);  // later inputs shift down
  void removeAllInputs();

  // Outputs: nullptr marks an output that is not produced (empty name in ONNX).
  const std::vector<Value*>& outputs() const { return outputs_; }
  size_t outputCount() const { return outputs_.size(); }
  Value* output(size_t i) const { return i < outputs_.size() ? outputs_[i] : nullptr; }

  // Attributes, in file order.
  const std::vector<Attribute>& attributes() const { return attributes_; }
  const Attribute* attribute(std::string_view name) const;
  bool hasAttribute(std::string_view name) const { return attribute(name) != nullptr; }
  void setAttribute(Attribute attribute);  // replaces an attribute of the same name
  bool removeAttribute(std::string_view name);
  int64_t getInt(std::string_view name, int64_t fallback) const;
  float getFloat(std::string_view name, float fallback) const;
  std::string getString(std::string_view name, std::string fallback) const;
  std::optional<std::vector<int64_t>> getInts(std::string_view name) const;
  std::optional<std::vector<float>> getFloats(std::string_view name) const;

  // Subgraphs held by attributes (If branches, Loop/Scan bodies, ...).
  bool hasSubgraphs() const;
  void forEachSubgraph(const std::function<void(Graph&)>& visit) const;
  // Values of enclosing graphs that nodes inside this node's subgraphs use, or that the subgraphs
  // return as outputs (recursively): the implicit inputs that order this node after their
  // producers and keep them alive.
  std::vector<Value*> outerScopeInputs() const;

  // The NodeProto without input/output/attribute: name, op_type, domain, doc_string, unknown fields.
  const onnx::NodeProto& metadata() const { return metadata_; }
  onnx::NodeProto* mutableMetadata() { return &metadata_; }

 private:
  friend class Graph;
  Node() = default;
  void collectOuterScopeInputs(const Graph& scope_root, std::vector<Value*>& out) const;

  onnx::NodeProto metadata_;
  Graph* owner_ = nullptr;
  std::vector<Value*> inputs_;
  std::vector<Value*> outputs_;
  std::vector<Attribute> attributes_;
  std::list<std::unique_ptr<Node>>::iterator position_;
};

}  // namespace onnxkit
