#include "ir/onnx_import.h"

#include <google/protobuf/unknown_field_set.h>

#include <unordered_map>

#include "ir/wire_format.h"

namespace onnxkit {
namespace {

// Name -> value for one graph, chained to the enclosing graph's scope.
struct Scope {
  const Scope* outer = nullptr;
  std::unordered_map<std::string, Value*> names;

  Value* find(const std::string& name) const {
    for (const Scope* s = this; s; s = s->outer) {
      auto it = s->names.find(name);
      if (it != s->names.end()) return it->second;
    }
    return nullptr;
  }
  // The first definition wins; a second one becomes a separate Value the verifier reports.
  void define(Value* value) { names.emplace(value->name(), value); }
};

// Removes a raw-data placeholder from the tensor's unknown fields and returns its index, or -1.
int64_t TakePlaceholder(onnx::TensorProto& proto) {
  auto* unknown = proto.mutable_unknown_fields();
  for (int i = 0; i < unknown->field_count(); ++i) {
    const auto& field = unknown->field(i);
    if (field.number() == static_cast<int>(wire::kRawDataPlaceholderField) &&
        field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      auto index = static_cast<int64_t>(field.varint());
      unknown->DeleteSubrange(i, 1);
      return index;
    }
  }
  return -1;
}

class Importer {
 public:
  Importer(Model& model, const ImportSources& sources) : model_(model), sources_(sources) {}

  Status importGraph(onnx::GraphProto& proto, Graph& graph, const Scope* outer);

 private:
  Status importNode(onnx::NodeProto& proto, Node& node, Scope& scope);
  Value* resolve(const std::string& name, Graph& graph, Scope& scope);

  Model& model_;
  const ImportSources& sources_;
};

Value* Importer::resolve(const std::string& name, Graph& graph, Scope& scope) {
  if (name.empty()) return nullptr;
  if (Value* value = scope.find(name)) return value;
  // Referenced but defined nowhere: an undefined value, reported by the verifier.
  Value* undefined = graph.createValue(name);
  scope.define(undefined);
  return undefined;
}

Status Importer::importGraph(onnx::GraphProto& proto, Graph& graph, const Scope* outer) {
  Scope scope;
  scope.outer = outer;

  for (auto& declaration : *proto.mutable_input()) {
    Value* value = graph.addInput(declaration.name());
    *value->mutableInfo() = std::move(declaration);
    scope.define(value);
  }

  for (auto& tensor_proto : *proto.mutable_initializer()) {
    std::string name = tensor_proto.name();
    auto tensor = ImportTensor(std::move(tensor_proto), sources_);
    if (!tensor.ok()) return tensor.status();
    auto it = scope.names.find(name);
    Value* value = nullptr;
    if (it != scope.names.end() && it->second->isGraphInput() && !it->second->isInitializer())
      value = it->second;  // an input with a default value (IR version < 4 style)
    else
      value = graph.createValue(name), scope.define(value);
    graph.setInitializer(value, std::move(tensor).value());
  }

  for (auto& sparse : *proto.mutable_sparse_initializer()) {
    std::string name = sparse.values().name();
    auto it = scope.names.find(name);
    Value* value = nullptr;
    if (it != scope.names.end() && it->second->isGraphInput() && !it->second->isInitializer() &&
        !it->second->isSparseInitializer())
      value = it->second;
    else
      value = graph.createValue(name), scope.define(value);
    graph.setSparseInitializer(value, std::make_shared<const onnx::SparseTensorProto>(std::move(sparse)));
  }

  // Define every node output first, so inputs and subgraphs can refer to any of them regardless
  // of node order (ordering problems are the verifier's to report).
  std::vector<Node*> nodes;
  nodes.reserve(static_cast<size_t>(proto.node_size()));
  for (auto& node_proto : *proto.mutable_node()) {
    std::vector<std::string> outputs(node_proto.output().begin(), node_proto.output().end());
    Node* node = graph.createNodeWithOutputNames(node_proto.op_type(), outputs);
    for (Value* output : node->outputs())
      if (output) scope.define(output);
    nodes.push_back(node);
  }
  for (size_t i = 0; i < nodes.size(); ++i)
    ONNXKIT_RETURN_IF_ERROR(importNode(*proto.mutable_node(static_cast<int>(i)), *nodes[i], scope));

  for (auto& declaration : *proto.mutable_output()) {
    // An output with an empty name becomes an undefined value, so that it round-trips and the
    // verifier can report it.
    Value* value = declaration.name().empty() ? graph.createValue("") : resolve(declaration.name(), graph, scope);
    if (!value->hasType() && declaration.has_type()) *value->mutableType() = declaration.type();
    graph.addOutput(value, std::move(declaration));
  }

  for (auto& declaration : *proto.mutable_value_info()) {
    Value* value = scope.find(declaration.name());
    if (!value || value->owner() != &graph) {
      // value_info naming nothing of this graph: kept as an unused entry so it round-trips.
      value = graph.createValue(declaration.name());
    }
    if (!value->inValueInfo() && !value->isGraphInput()) *value->mutableInfo() = std::move(declaration);
    graph.setInValueInfo(value, true);
  }

  proto.clear_node();
  proto.clear_input();
  proto.clear_output();
  proto.clear_initializer();
  proto.clear_sparse_initializer();
  proto.clear_value_info();
  *graph.mutableMetadata() = std::move(proto);
  return Status::Ok();
}

Status Importer::importNode(onnx::NodeProto& proto, Node& node, Scope& scope) {
  Graph& graph = *node.owner();
  for (const std::string& name : proto.input()) node.addInput(resolve(name, graph, scope));
  for (auto& attribute_proto : *proto.mutable_attribute()) {
    TensorPtr tensor;
    std::vector<TensorPtr> tensors;
    if (attribute_proto.has_t()) {
      auto imported = ImportTensor(std::move(*attribute_proto.mutable_t()), sources_);
      if (!imported.ok())
        return imported.status().WithContext(fmt::format("{} attribute '{}'", node.describe(), attribute_proto.name()));
      tensor = std::move(imported).value();
      attribute_proto.clear_t();
    }
    for (auto& tensor_proto : *attribute_proto.mutable_tensors()) {
      auto imported = ImportTensor(std::move(tensor_proto), sources_);
      if (!imported.ok())
        return imported.status().WithContext(fmt::format("{} attribute '{}'", node.describe(), attribute_proto.name()));
      tensors.push_back(std::move(imported).value());
    }
    attribute_proto.clear_tensors();

    auto import_subgraph = [&](onnx::GraphProto& graph_proto) -> Result<std::unique_ptr<Graph>> {
      auto subgraph = std::make_unique<Graph>(&model_, &graph);
      ONNXKIT_RETURN_IF_ERROR(importGraph(graph_proto, *subgraph, &scope));
      return subgraph;
    };
    std::unique_ptr<Graph> single_graph;
    if (attribute_proto.has_g()) {
      ONNXKIT_ASSIGN_OR_RETURN(single_graph, import_subgraph(*attribute_proto.mutable_g()));
    }
    std::vector<std::unique_ptr<Graph>> graphs;
    for (auto& graph_proto : *attribute_proto.mutable_graphs()) {
      ONNXKIT_ASSIGN_OR_RETURN(auto subgraph, import_subgraph(graph_proto));
      graphs.push_back(std::move(subgraph));
    }
    attribute_proto.clear_g();
    attribute_proto.clear_graphs();

    Attribute attribute = Attribute::FromProto(std::move(attribute_proto));
    if (tensor) attribute.setTensor(std::move(tensor));
    attribute.mutableTensors() = std::move(tensors);
    attribute.mutableGraph() = std::move(single_graph);
    attribute.mutableGraphs() = std::move(graphs);
    node.setAttribute(std::move(attribute));
  }
  proto.clear_input();
  proto.clear_output();
  proto.clear_attribute();
  *node.mutableMetadata() = std::move(proto);
  return Status::Ok();
}

}  // namespace

Result<TensorPtr> ImportTensor(onnx::TensorProto proto, const ImportSources& sources) {
  int64_t placeholder = TakePlaceholder(proto);
  if (placeholder >= 0) {
    if (static_cast<size_t>(placeholder) >= sources.raw_data_slices.size())
      return Status::Error("tensor '{}': raw data placeholder out of range", proto.name());
    return Tensor::FromProtoAndBytes(std::move(proto), sources.raw_data_slices[static_cast<size_t>(placeholder)]);
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    if (!sources.external_data)
      return Status::Error("tensor '{}': data is in an external file, which needs the model's folder", proto.name());
    auto bytes = sources.external_data(proto);
    if (!bytes.ok()) return bytes.status();
    return Tensor::FromProtoAndBytes(std::move(proto), std::move(bytes).value());
  }
  return Tensor::FromProto(std::move(proto));
}

Result<std::unique_ptr<Model>> ImportModel(onnx::ModelProto proto, const ImportSources& sources) {
  if (!proto.has_ir_version())
    return Status::Error("not an ONNX model (no ir_version)");
  if (proto.ir_version() < kMinimumIrVersion || proto.ir_version() > kMaximumIrVersion)
    return Status::Error("unsupported IR version {} (this build reads {} to {})", proto.ir_version(),
                         kMinimumIrVersion, kMaximumIrVersion);
  if (!proto.has_graph()) return Status::Error("not an ONNX model (no graph)");

  auto model = std::make_unique<Model>();
  std::unique_ptr<onnx::GraphProto> graph(proto.release_graph());
  *model->mutableMetadata() = std::move(proto);
  Importer importer(*model, sources);
  ONNXKIT_RETURN_IF_ERROR(importer.importGraph(*graph, model->graph(), nullptr));
  return model;
}

}  // namespace onnxkit
