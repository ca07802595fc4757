// Declarative node patterns for rewrites, cheap checks first:
//
//   static const NodePattern kPattern =
//       NodePattern("BatchNormalization").as("bn")
//           .withInput(0, NodePattern("Conv").as("conv").withOneUse())
//           .withConstantInputs({1, 2, 3, 4});
//   Match m = kPattern.match(*node, model);
//   if (!m) { Explain(pass, *node, m.reason()); continue; }   // does not apply: not an error
//   Node* conv = m["conv"];
//
// Domain and opset checks are part of the pattern. A failed match says why, for --explain.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"

namespace onnxkit {

class Match {
 public:
  explicit operator bool() const { return reason_.empty(); }
  const std::string& reason() const { return reason_; }
  Node* operator[](std::string_view name) const;

 private:
  friend class NodePattern;
  std::map<std::string, Node*, std::less<>> nodes_;
  std::string reason_;
};

class NodePattern {
 public:
  explicit NodePattern(std::string op_type, std::string domain = "");
  // The name under which the matched node is returned.
  NodePattern& as(std::string name);
  // Input i must exist and be produced by a node matching `producer` (in the same graph).
  NodePattern& withInput(size_t i, NodePattern producer);
  // Inputs that must be constants (initializers that are not graph inputs, or Constant nodes).
  NodePattern& withConstantInputs(std::initializer_list<size_t> inputs);
  // Output 0 has exactly one use and is not a graph output (the node can be fused away).
  NodePattern& withOneUse();
  // Version of the node's domain imported by the model, inclusive range.
  NodePattern& withOpset(int64_t minimum, int64_t maximum = INT64_MAX);
  // Any other condition; `description` says what failed.
  NodePattern& where(std::string description, std::function<bool(const Node&)> condition);

  Match match(Node& node, const Model& model) const;

 private:
  bool matchInto(Node& node, const Model& model, Match& match) const;

  std::string op_type_;
  std::string domain_;
  std::string name_;
  std::vector<std::pair<size_t, std::shared_ptr<NodePattern>>> producers_;
  std::vector<size_t> constant_inputs_;
  bool one_use_ = false;
  int64_t min_opset_ = 0;
  int64_t max_opset_ = INT64_MAX;
  std::vector<std::pair<std::string, std::function<bool(const Node&)>>> conditions_;
};

// The constant tensor behind a value: an initializer that is not a graph input, or the value
// attribute of a Constant node producing it. nullptr when the value is not a known constant.
TensorPtr ConstantTensor(const Value* value);

// Prints "<pass>: <node>: <reason>" on stderr when explaining is on (onnx-opt --explain).
void SetExplainRewrites(bool on);
bool ExplainRewrites();
void Explain(std::string_view pass, const Node& node, std::string_view reason);

}  // namespace onnxkit
