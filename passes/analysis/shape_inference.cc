#include "passes/analysis/shape_inference.h"

#include <google/protobuf/util/message_differencer.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <unordered_map>

#include "ir/onnx_export.h"

namespace onnxkit {
namespace {

// Shape tensors are small; larger tensors stay out of the exported copy (their bytes are not
// needed to infer shapes, only their dims and type, which the TensorProto keeps).
constexpr size_t kInlineBytes = 4096;

bool SameType(const onnx::TypeProto& a, const onnx::TypeProto& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// Copies inferred value_info of `proto` (an exported copy of `graph`) into the IR, recursing into
// subgraphs in the order the exporter wrote them.
void Apply(const onnx::GraphProto& proto, Graph& graph, size_t& changed) {
  std::unordered_map<std::string, Value*> by_name;
  for (Value* value : graph.values())
    if (value->isDefined()) by_name.emplace(value->name(), value);
  for (const auto& info : proto.value_info()) {
    auto it = by_name.find(info.name());
    if (it == by_name.end() || !info.has_type()) continue;
    Value* value = it->second;
    if (value->isGraphInput() || value->isGraphOutput() || value->isInitializer()) continue;
    if (value->hasType() && SameType(value->type(), info.type())) {
      if (!value->inValueInfo()) graph.setInValueInfo(value, true), ++changed;
      continue;
    }
    *value->mutableType() = info.type();
    graph.setInValueInfo(value, true);
    ++changed;
  }
  auto order = graph.topologicalOrder();
  if (!order.ok() || static_cast<int>(order->size()) != proto.node_size()) return;
  for (size_t n = 0; n < order->size(); ++n) {
    const onnx::NodeProto& node_proto = proto.node(static_cast<int>(n));
    const Node& node = *(*order)[n];
    int attribute_index = 0;
    for (const Attribute& attribute : node.attributes()) {
      const onnx::AttributeProto& attribute_proto = node_proto.attribute(attribute_index++);
      if (attribute.graph() && attribute_proto.has_g()) Apply(attribute_proto.g(), *attribute.graph(), changed);
      for (size_t g = 0; g < attribute.graphs().size() && static_cast<int>(g) < attribute_proto.graphs_size(); ++g)
        Apply(attribute_proto.graphs(static_cast<int>(g)), *attribute.graphs()[g], changed);
    }
  }
}

}  // namespace

ShapeInferenceResult InferShapes(Model& model, bool record_in_model) {
  ShapeInferenceResult result;
  ExportOptions options;
  options.placeholder_minimum_bytes = kInlineBytes;
  ExportedModel exported = ExportModel(model, options);
  std::unordered_map<std::string, onnx::TensorShapeProto> shape_data;
  try {
    onnx::ShapeInferenceOptions inference_options(/*check_type=*/false, /*error_mode=*/0, /*data_propagation=*/true);
    onnx::shape_inference::InferShapes(exported.proto, onnx::OpSchemaRegistry::Instance(), inference_options, &shape_data);
  } catch (const std::exception&) {
    return result;  // inconsistent declared shapes, unknown ops in strict places, ...: no inference
  }
  if (record_in_model) Apply(exported.proto.graph(), model.graph(), result.values_changed);
  for (const auto& info : exported.proto.graph().value_info())
    if (info.has_type()) result.main_graph_types.emplace(info.name(), info.type());
  for (const auto& info : exported.proto.graph().output())
    if (info.has_type()) result.main_graph_types.emplace(info.name(), info.type());
  for (const auto& [name, shape] : shape_data) {
    std::vector<int64_t> values;
    bool complete = true;
    for (const auto& dim : shape.dim()) {
      if (!dim.has_dim_value()) {
        complete = false;
        break;
      }
      values.push_back(dim.dim_value());
    }
    if (complete) result.known_shape_values.emplace(name, std::move(values));
  }
  return result;
}

}  // namespace onnxkit
