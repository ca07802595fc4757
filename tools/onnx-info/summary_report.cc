// Text and JSON forms of onnx-info's ModelSummary.
#include "tools/onnx-info/summary_report.h"

#include <fmt/format.h>

#include "tools/common/json.h"

namespace onnxkit::tools {
namespace {

void WriteValues(JsonWriter& json, const std::vector<ValueSummary>& values) {
  json.beginArray();
  for (const ValueSummary& v : values) {
    json.beginObject().field("name", v.name).field("type", v.type).key("shape");
    if (!v.shape) {
      json.nullValue();
    } else {
      json.beginArray();
      for (const DimSummary& d : *v.shape) {
        if (d.value) json.value(*d.value);
        else if (!d.symbol.empty()) json.value(d.symbol);
        else json.nullValue();
      }
      json.endArray();
    }
    json.endObject();
  }
  json.endArray();
}

}  // namespace

std::string FormatSummaryText(const std::string& model_path, const ModelSummary& s) {
  std::string out = fmt::format("model: {}\n", model_path);
  out += fmt::format("ir_version: {}\n", s.ir_version);
  out += "opsets:";
  for (const auto& [domain, version] : s.opsets) out += fmt::format(" {} {};", domain, version);
  if (!s.opsets.empty()) out.pop_back();
  out += "\n";
  std::string producer = s.producer_name + (s.producer_version.empty() ? "" : " " + s.producer_version);
  out += fmt::format("producer: {}\n", producer.empty() ? "(none)" : producer);

  out += fmt::format("inputs ({}):\n", s.inputs.size());
  for (const ValueSummary& v : s.inputs) out += fmt::format("  {}: {}\n", v.name, FormatValueType(v));
  out += fmt::format("outputs ({}):\n", s.outputs.size());
  for (const ValueSummary& v : s.outputs) out += fmt::format("  {}: {}\n", v.name, FormatValueType(v));

  out += fmt::format("nodes: {} ({} in the main graph)\n", s.node_count, s.main_graph_node_count);
  out += "op types:\n";
  for (const auto& [op, count] : s.op_histogram) out += fmt::format("  {:<24} {}\n", op, count);

  out += fmt::format("parameters: {} in {} initializers, {} bytes ({})\n", s.parameter_count, s.initializer_count,
                     s.parameter_bytes, HumanBytes(s.parameter_bytes));
  for (const DtypeParameters& d : s.parameters_per_dtype)
    out += fmt::format("  {:<10} {} elements in {} tensors, {} bytes ({})\n", d.dtype, d.elements, d.tensors, d.bytes,
                       HumanBytes(d.bytes));
  if (!s.largest_initializers.empty()) {
    out += fmt::format("largest initializers (top {}):\n", s.largest_initializers.size());
    for (const InitializerSummary& i : s.largest_initializers)
      out += fmt::format("  {}: {}[{}] {} bytes ({})\n", i.name, i.dtype, fmt::join(i.dims, ","), i.bytes,
                         HumanBytes(i.bytes));
  }
  out += fmt::format("metadata_props ({}):\n", s.metadata_props.size());
  for (const auto& [key, value] : s.metadata_props) out += fmt::format("  {} = {}\n", key, value);
  out += fmt::format("subgraphs ({}):\n", s.subgraphs.size());
  for (const SubgraphSummary& g : s.subgraphs)
    out += fmt::format("  {}{}, attribute {}: {} nodes\n", std::string(2 * static_cast<size_t>(g.depth - 1), ' '),
                       g.node, g.attribute, g.node_count);
  out += fmt::format("functions ({}):\n", s.functions.size());
  for (const FunctionSummary& f : s.functions)
    out += fmt::format("  {}{}{}: {} inputs, {} outputs, {} nodes\n", f.domain, f.domain.empty() ? "" : ".", f.name,
                       f.input_count, f.output_count, f.node_count);
  return out;
}

std::string FormatSummaryJson(const std::string& model_path, const ModelSummary& s) {
  JsonWriter json;
  json.beginObject().field("model", model_path).field("ir_version", s.ir_version).key("opsets").beginObject();
  for (const auto& [domain, version] : s.opsets) json.field(domain, version);
  json.endObject().field("producer_name", s.producer_name).field("producer_version", s.producer_version);
  json.key("inputs");
  WriteValues(json, s.inputs);
  json.key("outputs");
  WriteValues(json, s.outputs);
  json.field("node_count", s.node_count).field("main_graph_node_count", s.main_graph_node_count);
  json.key("op_histogram").beginArray();
  for (const auto& [op, count] : s.op_histogram) json.beginObject().field("op_type", op).field("count", count).endObject();
  json.endArray();
  json.field("initializer_count", s.initializer_count)
      .field("parameter_count", s.parameter_count)
      .field("parameter_bytes", s.parameter_bytes);
  json.key("parameters_per_dtype").beginArray();
  for (const DtypeParameters& d : s.parameters_per_dtype)
    json.beginObject()
        .field("dtype", d.dtype)
        .field("tensors", d.tensors)
        .field("elements", d.elements)
        .field("bytes", d.bytes)
        .endObject();
  json.endArray().key("largest_initializers").beginArray();
  for (const InitializerSummary& i : s.largest_initializers) {
    json.beginObject().field("name", i.name).field("dtype", i.dtype).key("shape").beginArray();
    for (int64_t d : i.dims) json.value(d);
    json.endArray().field("elements", i.elements).field("bytes", i.bytes).endObject();
  }
  json.endArray().key("metadata_props").beginObject();
  for (const auto& [key, value] : s.metadata_props) json.field(key, value);
  json.endObject().key("subgraphs").beginArray();
  for (const SubgraphSummary& g : s.subgraphs)
    json.beginObject()
        .field("node", g.node)
        .field("op_type", g.op_type)
        .field("attribute", g.attribute)
        .field("depth", g.depth)
        .field("node_count", g.node_count)
        .endObject();
  json.endArray().key("functions").beginArray();
  for (const FunctionSummary& f : s.functions)
    json.beginObject()
        .field("domain", f.domain)
        .field("name", f.name)
        .field("inputs", f.input_count)
        .field("outputs", f.output_count)
        .field("node_count", f.node_count)
        .endObject();
  json.endArray().endObject();
  return json.str();
}

}  // namespace onnxkit::tools
