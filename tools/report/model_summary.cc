// Computes a ModelSummary from the IR (see model_summary.h).
#include "tools/report/model_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "ir/model_statistics.h"

namespace onnxkit::tools {
namespace {

std::string TypeName(const onnx::TypeProto& type) {
  switch (type.value_case()) {
    case onnx::TypeProto::kTensorType:
      return std::string(DataTypeName(static_cast<DataType>(type.tensor_type().elem_type())));
    case onnx::TypeProto::kSparseTensorType:
      return fmt::format("sparse_tensor({})", DataTypeName(static_cast<DataType>(type.sparse_tensor_type().elem_type())));
    case onnx::TypeProto::kSequenceType:
      return fmt::format("seq({})", TypeName(type.sequence_type().elem_type()));
    case onnx::TypeProto::kMapType:
      return fmt::format("map({}, {})", DataTypeName(static_cast<DataType>(type.map_type().key_type())),
                         TypeName(type.map_type().value_type()));
    case onnx::TypeProto::kOptionalType:
      return fmt::format("optional({})", TypeName(type.optional_type().elem_type()));
    default:
      return "unknown";
  }
}

}  // namespace

ValueSummary SummarizeType(const std::string& name, const onnx::TypeProto& type) {
  ValueSummary summary;
  summary.name = name;
  summary.type = TypeName(type);
  if (type.has_tensor_type() && type.tensor_type().has_shape()) {
    std::vector<DimSummary> dims;
    for (const auto& dim : type.tensor_type().shape().dim()) {
      DimSummary d;
      if (dim.has_dim_value()) d.value = dim.dim_value();
      else if (dim.has_dim_param()) d.symbol = dim.dim_param();
      dims.push_back(std::move(d));
    }
    summary.shape = std::move(dims);
  }
  return summary;
}

ValueSummary SummarizeValue(const Value& value) {
  if (value.hasType()) return SummarizeType(value.name(), value.type());
  ValueSummary summary;
  summary.name = value.name();
  if (value.initializer()) {
    const Tensor& tensor = *value.initializer();
    summary.type = std::string(DataTypeName(tensor.dtype()));
    std::vector<DimSummary> dims;
    for (int64_t d : tensor.dims()) dims.push_back(DimSummary{d, {}});
    summary.shape = std::move(dims);
  } else {
    summary.type = "unknown";
  }
  return summary;
}

std::string FormatValueType(const ValueSummary& value) {
  if (!value.shape) return value.type;
  std::string text = value.type + "[";
  for (size_t i = 0; i < value.shape->size(); ++i) {
    const DimSummary& d = (*value.shape)[i];
    if (i > 0) text += ",";
    text += d.value ? std::to_string(*d.value) : (d.symbol.empty() ? "?" : d.symbol);
  }
  return text + "]";
}

ModelSummary SummarizeModel(const Model& model) {
  ModelSummary summary;
  const Graph& main = model.graph();
  for (const Value* input : main.inputs())
    if (!input->initializer()) summary.inputs.push_back(SummarizeValue(*input));
  for (const Value* output : main.outputs()) summary.outputs.push_back(SummarizeValue(*output));

  const onnx::ModelProto& proto = model.metadata();
  summary.ir_version = proto.ir_version();
  for (const auto& opset : proto.opset_import())
    summary.opsets.emplace_back(opset.domain().empty() ? "ai.onnx" : opset.domain(), opset.version());
  std::sort(summary.opsets.begin(), summary.opsets.end());
  summary.producer_name = proto.producer_name();
  summary.producer_version = proto.producer_version();
  for (const auto& prop : proto.metadata_props()) summary.metadata_props.emplace_back(prop.key(), prop.value());
  for (const auto& function : proto.functions())
    summary.functions.push_back(FunctionSummary{function.domain(), function.name(), function.node_size(),
                                                function.input_size(), function.output_size()});

  ModelStatistics stats = ComputeStatistics(model);
  summary.node_count = stats.node_count;
  summary.main_graph_node_count = static_cast<int64_t>(main.nodeCount());
  summary.initializer_count = stats.initializer_count;
  summary.parameter_count = stats.parameter_count;
  summary.parameter_bytes = stats.initializer_bytes;
  summary.op_histogram.assign(stats.nodes_per_op.begin(), stats.nodes_per_op.end());
  std::stable_sort(summary.op_histogram.begin(), summary.op_histogram.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });

  std::map<std::string, DtypeParameters> per_dtype;
  std::vector<InitializerSummary> initializers;
  ForEachGraph(const_cast<Graph&>(main), [&](Graph& graph) {
    for (const Value* value : graph.initializers()) {
      const Tensor& tensor = *value->initializer();
      std::string dtype(DataTypeName(tensor.dtype()));
      DtypeParameters& entry = per_dtype[dtype];
      entry.dtype = dtype;
      ++entry.tensors;
      entry.elements += tensor.elementCount();
      entry.bytes += static_cast<int64_t>(tensor.byteSize());
      initializers.push_back(InitializerSummary{value->name(), dtype, {tensor.dims().begin(), tensor.dims().end()},
                                                tensor.elementCount(), static_cast<int64_t>(tensor.byteSize())});
    }
    if (Node* owner = graph.ownerNode()) {
      std::string attribute;
      for (const Attribute& a : owner->attributes())
        a.forEachSubgraph([&](Graph& g) { if (&g == &graph) attribute = a.name(); });
      summary.subgraphs.push_back(SubgraphSummary{owner->describe(), owner->opType(), attribute, graph.depth(),
                                                  static_cast<int64_t>(graph.nodeCount())});
    }
  });
  for (auto& [name, entry] : per_dtype) summary.parameters_per_dtype.push_back(entry);
  std::stable_sort(summary.parameters_per_dtype.begin(), summary.parameters_per_dtype.end(),
                   [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  std::stable_sort(initializers.begin(), initializers.end(),
                   [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  if (initializers.size() > kLargestInitializers) initializers.resize(kLargestInitializers);
  summary.largest_initializers = std::move(initializers);
  return summary;
}

}  // namespace onnxkit::tools
