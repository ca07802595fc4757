// HTML page pieces (see html.h).
#include "tools/report/html.h"

#include <fmt/format.h>

#include "passes/analysis/shape_inference.h"
#include "tools/report/dot_writer.h"
#include "tools/report/graphviz.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: sans-serif; margin: 2em; color: #222; background: #fff; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.5em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
th { background: #f4f4f4; } td:last-child { font-variant-numeric: tabular-nums; }
.graph { overflow: auto; border: 1px solid #ccc; max-height: 90vh; }
pre { background: #f8f8f8; padding: 1em; overflow: auto; }
.swatch { display: inline-block; width: 1em; height: 1em; border: 1px solid #999; vertical-align: middle; }
)";

// Puts `prefix` before the value of every id="..." attribute.
std::string PrefixIds(const std::string& svg, std::string_view prefix) {
  if (prefix.empty()) return svg;
  constexpr std::string_view kId = " id=\"";
  std::string out;
  out.reserve(svg.size() + svg.size() / 16);
  size_t from = 0;
  for (size_t at = svg.find(kId); at != std::string::npos; at = svg.find(kId, from)) {
    out.append(svg, from, at + kId.size() - from);
    out += prefix;
    from = at + kId.size();
  }
  out.append(svg, from);
  return out;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
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

std::string HtmlTableOnly(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                          const std::vector<std::string>& row_classes) {
  if (rows.empty()) return "";
  std::string out = "<table>\n<tr>";
  for (const std::string& h : header) out += "<th>" + HtmlEscape(h) + "</th>";
  out += "</tr>\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    if (r < row_classes.size() && !row_classes[r].empty())
      out += fmt::format("<tr class=\"{}\">", HtmlEscape(row_classes[r]));
    else
      out += "<tr>";
    for (const std::string& cell : rows[r]) out += "<td>" + HtmlEscape(cell) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string HtmlTable(std::string_view title, const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows, const std::vector<std::string>& row_classes) {
  return fmt::format("<h2>{} ({})</h2>\n", HtmlEscape(title), rows.size()) + HtmlTableOnly(header, rows, row_classes);
}

std::string HtmlPageBegin(std::string_view title, std::string_view extra_style) {
  return fmt::format("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}{}</style>\n"
                     "</head><body>\n",
                     HtmlEscape(title), kStyle, extra_style);
}

std::string HtmlPageEnd() { return "</body></html>\n"; }

std::string GraphDot(Model& model) {
  ShapeInferenceResult inferred = InferShapes(model, /*record_in_model=*/false);
  return WriteDot(model.graph(), &inferred.main_graph_types);
}

HtmlGraph RenderGraph(std::string dot, std::string_view id_prefix) {
  HtmlGraph graph{std::move(dot), std::nullopt, ""};
  if (auto program = FindGraphvizDot()) {
    graph.svg = RenderSvg(*program, graph.dot, &graph.note);
    if (graph.svg) graph.svg = PrefixIds(*graph.svg, id_prefix);
    else graph.note += "; the graph in Graphviz DOT:";
  } else {
    graph.note = "Graphviz (dot) was not found on PATH; the graph in Graphviz DOT:";
  }
  return graph;
}

std::string HtmlOpKindLegend() {
  std::string out = "<p class=\"legend\">";
  for (OpKind kind : AllOpKinds())
    out += fmt::format("<span class=\"swatch\" style=\"background:{}\"></span> {} &nbsp; ", OpKindColor(kind),
                       HtmlEscape(OpKindName(kind)));
  return out + "</p>\n";
}

std::string HtmlGraphBlock(const HtmlGraph& graph) {
  if (graph.svg) return "<div class=\"graph\">\n" + *graph.svg + "\n</div>\n";
  return fmt::format("<p>{}</p>\n<pre>{}</pre>\n", HtmlEscape(graph.note), HtmlEscape(graph.dot));
}

}  // namespace onnxkit::tools
