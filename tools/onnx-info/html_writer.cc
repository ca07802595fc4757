// The HTML page of onnx-info --html (see html_writer.h).
#include "tools/onnx-info/html_writer.h"

#include <fmt/format.h>

#include "tools/onnx-info/summary_report.h"

namespace onnxkit::tools {

std::string WriteHtml(const std::string& model_path, const ModelSummary& s, const HtmlGraph& graph) {
  std::string out = HtmlPageBegin("onnx-info: " + model_path);
  out += fmt::format("<h1>{}</h1>\n", HtmlEscape(model_path));

  std::vector<std::vector<std::string>> model_rows{{"ir_version", std::to_string(s.ir_version)},
                                                   {"producer", s.producer_name + " " + s.producer_version},
                                                   {"nodes", fmt::format("{} ({} in the main graph)", s.node_count,
                                                                         s.main_graph_node_count)},
                                                   {"parameters", fmt::format("{} in {} initializers", s.parameter_count,
                                                                              s.initializer_count)},
                                                   {"parameter bytes", fmt::format("{} ({})", s.parameter_bytes,
                                                                                   HumanBytes(s.parameter_bytes))}};
  for (const auto& [domain, version] : s.opsets) model_rows.push_back({"opset " + domain, std::to_string(version)});
  out += HtmlTable("Model", {"property", "value"}, model_rows);

  auto values = [](const std::vector<ValueSummary>& list) {
    std::vector<std::vector<std::string>> rows;
    for (const ValueSummary& v : list) rows.push_back({v.name, FormatValueType(v)});
    return rows;
  };
  out += HtmlTable("Inputs", {"name", "type"}, values(s.inputs));
  out += HtmlTable("Outputs", {"name", "type"}, values(s.outputs));

  std::vector<std::vector<std::string>> rows;
  for (const auto& [op, count] : s.op_histogram) rows.push_back({op, std::to_string(count)});
  out += HtmlTable("Op types", {"op type", "count"}, rows);
  rows.clear();
  for (const DtypeParameters& d : s.parameters_per_dtype)
    rows.push_back({d.dtype, std::to_string(d.tensors), std::to_string(d.elements), std::to_string(d.bytes)});
  out += HtmlTable("Parameters per dtype", {"dtype", "tensors", "elements", "bytes"}, rows);
  rows.clear();
  for (const InitializerSummary& i : s.largest_initializers)
    rows.push_back({i.name, i.dtype, fmt::format("[{}]", fmt::join(i.dims, ",")), std::to_string(i.bytes)});
  out += HtmlTable("Largest initializers", {"name", "dtype", "shape", "bytes"}, rows);
  rows.clear();
  for (const auto& [key, value] : s.metadata_props) rows.push_back({key, value});
  out += HtmlTable("Metadata", {"key", "value"}, rows);
  rows.clear();
  for (const SubgraphSummary& g : s.subgraphs)
    rows.push_back({g.node, g.attribute, std::to_string(g.depth), std::to_string(g.node_count)});
  out += HtmlTable("Subgraphs", {"node", "attribute", "depth", "nodes"}, rows);
  rows.clear();
  for (const FunctionSummary& f : s.functions)
    rows.push_back({f.domain, f.name, std::to_string(f.input_count), std::to_string(f.output_count),
                    std::to_string(f.node_count)});
  out += HtmlTable("Functions", {"domain", "name", "inputs", "outputs", "nodes"}, rows);

  out += "<h2>Graph</h2>\n" + HtmlOpKindLegend() + HtmlGraphBlock(graph);
  return out + HtmlPageEnd();
}

}  // namespace onnxkit::tools
