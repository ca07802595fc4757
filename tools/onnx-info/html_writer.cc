// The HTML page of onnx-info --html (see html_writer.h).
#include "tools/onnx-info/html_writer.h"

#include <fmt/format.h>

#include "tools/onnx-info/dot_writer.h"
#include "tools/onnx-info/summary_report.h"

namespace onnxkit::tools {
namespace {

std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A table with a header row; cells are escaped here.
std::string Table(std::string_view title, const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows) {
  std::string out = fmt::format("<h2>{} ({})</h2>\n", Escape(title), rows.size());
  if (rows.empty()) return out;
  out += "<table>\n<tr>";
  for (const std::string& h : header) out += "<th>" + Escape(h) + "</th>";
  out += "</tr>\n";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const std::string& cell : row) out += "<td>" + Escape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
th { background: #f4f4f4; } td:last-child { font-variant-numeric: tabular-nums; }
.graph { overflow: auto; border: 1px solid #ccc; max-height: 90vh; }
pre { background: #f8f8f8; padding: 1em; overflow: auto; }
.swatch { display: inline-block; width: 1em; height: 1em; border: 1px solid #999; vertical-align: middle; }
)";

}  // namespace

std::string WriteHtml(const std::string& model_path, const ModelSummary& s, const HtmlGraph& graph) {
  std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n";
  out += fmt::format("<title>onnx-info: {}</title>\n<style>{}</style>\n</head><body>\n", Escape(model_path), kStyle);
  out += fmt::format("<h1>{}</h1>\n", Escape(model_path));

  std::vector<std::vector<std::string>> model_rows{{"ir_version", std::to_string(s.ir_version)},
                                                   {"producer", s.producer_name + " " + s.producer_version},
                                                   {"nodes", fmt::format("{} ({} in the main graph)", s.node_count,
                                                                         s.main_graph_node_count)},
                                                   {"parameters", fmt::format("{} in {} initializers", s.parameter_count,
                                                                              s.initializer_count)},
                                                   {"parameter bytes", fmt::format("{} ({})", s.parameter_bytes,
                                                                                   HumanBytes(s.parameter_bytes))}};
  for (const auto& [domain, version] : s.opsets) model_rows.push_back({"opset " + domain, std::to_string(version)});
  out += Table("Model", {"property", "value"}, model_rows);

  auto values = [](const std::vector<ValueSummary>& list) {
    std::vector<std::vector<std::string>> rows;
    for (const ValueSummary& v : list) rows.push_back({v.name, FormatValueType(v)});
    return rows;
  };
  out += Table("Inputs", {"name", "type"}, values(s.inputs));
  out += Table("Outputs", {"name", "type"}, values(s.outputs));

  std::vector<std::vector<std::string>> rows;
  for (const auto& [op, count] : s.op_histogram) rows.push_back({op, std::to_string(count)});
  out += Table("Op types", {"op type", "count"}, rows);
  rows.clear();
  for (const DtypeParameters& d : s.parameters_per_dtype)
    rows.push_back({d.dtype, std::to_string(d.tensors), std::to_string(d.elements), std::to_string(d.bytes)});
  out += Table("Parameters per dtype", {"dtype", "tensors", "elements", "bytes"}, rows);
  rows.clear();
  for (const InitializerSummary& i : s.largest_initializers)
    rows.push_back({i.name, i.dtype, fmt::format("[{}]", fmt::join(i.dims, ",")), std::to_string(i.bytes)});
  out += Table("Largest initializers", {"name", "dtype", "shape", "bytes"}, rows);
  rows.clear();
  for (const auto& [key, value] : s.metadata_props) rows.push_back({key, value});
  out += Table("Metadata", {"key", "value"}, rows);
  rows.clear();
  for (const SubgraphSummary& g : s.subgraphs)
    rows.push_back({g.node, g.attribute, std::to_string(g.depth), std::to_string(g.node_count)});
  out += Table("Subgraphs", {"node", "attribute", "depth", "nodes"}, rows);
  rows.clear();
  for (const FunctionSummary& f : s.functions)
    rows.push_back({f.domain, f.name, std::to_string(f.input_count), std::to_string(f.output_count),
                    std::to_string(f.node_count)});
  out += Table("Functions", {"domain", "name", "inputs", "outputs", "nodes"}, rows);

  out += "<h2>Graph</h2>\n<p>";
  for (OpKind kind : AllOpKinds())
    out += fmt::format("<span class=\"swatch\" style=\"background:{}\"></span> {} &nbsp; ", OpKindColor(kind),
                       Escape(OpKindName(kind)));
  out += "</p>\n";
  if (graph.svg) {
    out += "<div class=\"graph\">\n" + *graph.svg + "\n</div>\n";
  } else {
    out += fmt::format("<p>{}</p>\n<pre>{}</pre>\n", Escape(graph.note), Escape(graph.dot));
  }
  return out + "</body></html>\n";
}

}  // namespace onnxkit::tools
