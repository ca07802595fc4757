#include "ir/onnx_export.h"

#include <google/protobuf/unknown_field_set.h>

#include <limits>

#include "ir/wire_format.h"

namespace onnxkit {
namespace {

class Exporter {
 public:
  Exporter(const ExportOptions& options, std::vector<SharedBytes>& slices) : options_(options), slices_(slices) {}

  void exportGraph(const Graph& graph, onnx::GraphProto& out);

 private:
  void exportTensor(const Tensor& tensor, onnx::TensorProto& out);
  void exportNode(const Node& node, onnx::NodeProto& out);

  const ExportOptions& options_;
  std::vector<SharedBytes>& slices_;
};

void Exporter::exportTensor(const Tensor& tensor, onnx::TensorProto& out) {
  out = tensor.metadata();
  out.clear_external_data();
  out.clear_data_location();
  if (tensor.usesTypedFields() || tensor.dtype() == DataType::kString) return;  // data is in the proto

  if (options_.place_externally && !tensor.bytes().empty()) {
    if (auto placement = options_.place_externally(tensor)) {
      auto add_entry = [&](const char* key, std::string value) {
        auto* entry = out.add_external_data();
        entry->set_key(key);
        entry->set_value(std::move(value));
      };
      add_entry("location", placement->location);
      add_entry("offset", std::to_string(placement->offset));
      add_entry("length", std::to_string(placement->length));
      out.set_data_location(onnx::TensorProto::EXTERNAL);
      return;
    }
  }
  const SharedBytes& bytes = tensor.bytes();
  if (bytes.size() >= options_.placeholder_minimum_bytes) {
    out.mutable_unknown_fields()->AddVarint(static_cast<int>(wire::kRawDataPlaceholderField), slices_.size());
    slices_.push_back(bytes);
  } else if (!bytes.empty() || tensor.hasRawDataField()) {
    out.set_raw_data(bytes.data(), bytes.size());
  }
}

void Exporter::exportNode(const Node& node, onnx::NodeProto& out) {
  out = node.metadata();
  for (const Value* input : node.inputs()) out.add_input(input ? input->name() : std::string());
  for (const Value* output : node.outputs()) out.add_output(output ? output->name() : std::string());
  for (const Attribute& attribute : node.attributes()) {
    onnx::AttributeProto* proto = out.add_attribute();
    *proto = attribute.proto();
    if (attribute.tensor()) exportTensor(*attribute.tensor(), *proto->mutable_t());
    for (const TensorPtr& tensor : attribute.tensors()) exportTensor(*tensor, *proto->add_tensors());
    if (attribute.graph()) exportGraph(*attribute.graph(), *proto->mutable_g());
    for (const auto& graph : attribute.graphs()) exportGraph(*graph, *proto->add_graphs());
  }
}

void Exporter::exportGraph(const Graph& graph, onnx::GraphProto& out) {
  out = graph.metadata();
  auto order = graph.topologicalOrder();
  // A cyclic graph (which the verifier rejects) is written in list order rather than lost.
  std::vector<Node*> nodes = order.ok() ? std::move(order).value() : graph.nodes();
  for (const Node* node : nodes) exportNode(*node, *out.add_node());
  for (const Value* value : graph.initializers()) {
    onnx::TensorProto* proto = out.add_initializer();
    exportTensor(*value->initializer(), *proto);
    proto->set_name(value->name());
  }
  for (const Value* value : graph.sparseInitializers()) {
    onnx::SparseTensorProto* proto = out.add_sparse_initializer();
    *proto = *value->sparseInitializer();
    if (proto->values().name() != value->name()) proto->mutable_values()->set_name(value->name());
  }
  for (const Value* value : graph.inputs()) *out.add_input() = value->info();
  for (size_t i = 0; i < graph.outputs().size(); ++i) {
    onnx::ValueInfoProto* declaration = out.add_output();
    *declaration = graph.outputDeclaration(i);
    if (declaration->name() != graph.outputs()[i]->name()) declaration->set_name(graph.outputs()[i]->name());
  }
  for (const Value* value : graph.valueInfos()) *out.add_value_info() = value->info();
}

}  // namespace

ExportedModel ExportModel(const Model& model, const ExportOptions& options) {
  ExportedModel exported;
  exported.proto = model.metadata();
  Exporter exporter(options, exported.slices);
  exporter.exportGraph(model.graph(), *exported.proto.mutable_graph());
  return exported;
}

onnx::GraphProto ExportGraph(const Graph& graph) {
  ExportOptions options;
  options.placeholder_minimum_bytes = std::numeric_limits<size_t>::max();
  std::vector<SharedBytes> unused;
  onnx::GraphProto out;
  Exporter(options, unused).exportGraph(graph, out);
  return out;
}

}  // namespace onnxkit
