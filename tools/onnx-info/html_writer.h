// onnx-info --html: one self-contained page (inline CSS, no external resources) with the summary
// tables and the graph, as inline SVG when Graphviz rendered it, else the DOT text with a note.
#pragma once

#include <string>

#include "tools/report/html.h"
#include "tools/report/model_summary.h"

namespace onnxkit::tools {

std::string WriteHtml(const std::string& model_path, const ModelSummary& summary, const HtmlGraph& graph);

}  // namespace onnxkit::tools
