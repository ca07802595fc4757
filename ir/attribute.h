// A node attribute. Scalars and lists stay in an AttributeProto (so unknown attribute types and
// fields survive a round trip); tensors become shared Tensors and graphs become IR Graphs, which
// passes and the verifier recurse into.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/tensor.h"

namespace onnxkit {

class Graph;

using AttributeType = onnx::AttributeProto::AttributeType;

class Attribute {
 public:
  Attribute();
  ~Attribute();
  Attribute(Attribute&&) noexcept;
  Attribute& operator=(Attribute&&) noexcept;

  // Wraps an AttributeProto whose t/tensors/g/graphs were moved out (the importer converts those
  // into Tensors and Graphs and attaches them with setTensor / mutableTensors / mutableGraphs).
  static Attribute FromProto(onnx::AttributeProto proto);

  static Attribute Int(std::string name, int64_t value);
  static Attribute Float(std::string name, float value);
  static Attribute String(std::string name, std::string value);
  static Attribute Ints(std::string name, std::span<const int64_t> values);
  static Attribute Floats(std::string name, std::span<const float> values);
  static Attribute Strings(std::string name, std::span<const std::string> values);
  static Attribute OfTensor(std::string name, TensorPtr value);
  static Attribute OfGraph(std::string name, std::unique_ptr<Graph> value);

  const std::string& name() const { return proto_.name(); }
  AttributeType type() const { return proto_.type(); }

  int64_t i() const { return proto_.i(); }
  float f() const { return proto_.f(); }
  const std::string& s() const { return proto_.s(); }
  std::span<const int64_t> ints() const { return {proto_.ints().data(), static_cast<size_t>(proto_.ints_size())}; }
  std::span<const float> floats() const { return {proto_.floats().data(), static_cast<size_t>(proto_.floats_size())}; }
  const google::protobuf::RepeatedPtrField<std::string>& strings() const { return proto_.strings(); }
  const TensorPtr& tensor() const { return tensor_; }
  const std::vector<TensorPtr>& tensors() const { return tensors_; }
  // The graph of a GRAPH attribute and the list of a GRAPHS attribute, owned by the attribute.
  Graph* graph() const { return graph_.get(); }
  const std::vector<std::unique_ptr<Graph>>& graphs() const { return graphs_; }
  bool hasSubgraphs() const { return graph_ || !graphs_.empty(); }
  template <typename Visit>
  void forEachSubgraph(Visit&& visit) const {
    if (graph_) visit(*graph_);
    for (const auto& g : graphs_) visit(*g);
  }

  // Internal to import/export: the proto part and direct access to the owned pieces.
  const onnx::AttributeProto& proto() const { return proto_; }
  std::vector<TensorPtr>& mutableTensors() { return tensors_; }
  void setTensor(TensorPtr tensor) { tensor_ = std::move(tensor); }
  std::unique_ptr<Graph>& mutableGraph() { return graph_; }
  std::vector<std::unique_ptr<Graph>>& mutableGraphs() { return graphs_; }

 private:
  onnx::AttributeProto proto_;
  TensorPtr tensor_;
  std::vector<TensorPtr> tensors_;
  std::unique_ptr<Graph> graph_;
  std::vector<std::unique_ptr<Graph>> graphs_;
};

}  // namespace onnxkit
