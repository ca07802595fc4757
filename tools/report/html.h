// The pieces of the tools' self-contained HTML pages (onnx-info --html, onnx-opt --report):
// escaping, tables, the page frame with its inline style (no external resources), and a graph
// drawn by Graphviz as inline SVG or, without Graphviz, shown as DOT text with a note.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"

namespace onnxkit::tools {

std::string HtmlEscape(std::string_view text);

// A table with a header row; cells are escaped here. `row_classes`, when not empty, gives each
// row a CSS class ("" for none). Empty when there are no rows.
std::string HtmlTableOnly(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                          const std::vector<std::string>& row_classes = {});
// "<h2>title (row count)</h2>" and the table.
std::string HtmlTable(std::string_view title, const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::vector<std::string>& row_classes = {});

// "<!DOCTYPE html>...<body>" with the shared style plus `extra_style`; and the closing tags.
std::string HtmlPageBegin(std::string_view title, std::string_view extra_style = {});
std::string HtmlPageEnd();

struct HtmlGraph {
  std::string dot;                 // always present
  std::optional<std::string> svg;  // Graphviz's rendering, when there is one
  std::string note;                // why there is no SVG
};

// The main graph of `model` as DOT, edges labeled with the types ONNX shape inference finds (the
// model itself is not changed).
std::string GraphDot(Model& model);

// `dot` rendered by Graphviz when `dot` is on PATH (else the note says why not). `id_prefix` goes
// before every id in the SVG, so that two graphs can share a page without clashing ids.
HtmlGraph RenderGraph(std::string dot, std::string_view id_prefix = {});

// The color legend of the op kinds (a <p>).
std::string HtmlOpKindLegend();
// <div class="graph"> holding the SVG, or the note and the DOT text.
std::string HtmlGraphBlock(const HtmlGraph& graph);

}  // namespace onnxkit::tools
