// onnx-info --html: one self-contained page (inline CSS, no external resources) with the summary
// tables and the graph, as inline SVG when Graphviz rendered it, else the DOT text with a note.
#pragma once

#include <optional>
#include <string>

#include "tools/onnx-info/model_summary.h"

namespace onnxkit::tools {

struct HtmlGraph {
  std::string dot;                 // always present
  std::optional<std::string> svg;  // Graphviz's rendering, when there is one
  std::string note;                // why there is no SVG
};

std::string WriteHtml(const std::string& model_path, const ModelSummary& summary, const HtmlGraph& graph);

}  // namespace onnxkit::tools
