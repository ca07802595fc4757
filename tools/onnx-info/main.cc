// onnx-info: describes a model (inputs/outputs, opsets, producer, op types, parameters, largest
// initializers, metadata, subgraphs, local functions) as text or JSON, and draws its graph as
// Graphviz DOT or a self-contained HTML page.
#include <fmt/format.h>

#include "ir/atomic_file.h"
#include "ir/model_io.h"
#include "tools/common/tool_main.h"
#include "tools/onnx-info/dot_writer.h"
#include "tools/onnx-info/graphviz.h"
#include "tools/onnx-info/html_writer.h"
#include "passes/analysis/shape_inference.h"
#include "tools/onnx-info/model_summary.h"
#include "tools/onnx-info/summary_report.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-info";

struct Options {
  std::string model;
  bool json = false;
  std::string dot;
  std::string html;
};

bool Write(const std::string& path, std::string_view bytes) {
  if (Status written = WriteFileAtomically(path, bytes); !written.ok()) {
    PrintError(kTool, written.message());
    return false;
  }
  return true;
}

int Run(const Options& options) {
  auto model = LoadModel(options.model);
  if (!model.ok()) {
    PrintError(kTool, model.message());
    return kExitFailure;
  }
  ModelSummary summary = SummarizeModel(**model);
  if (!options.dot.empty() || !options.html.empty()) {
    // Shapes on the edges: ONNX shape inference, recorded in this in-memory copy only.
    InferShapes(**model);
    std::string dot = WriteDot((*model)->graph());
    if (!options.dot.empty() && !Write(options.dot, dot)) return kExitFailure;
    if (!options.html.empty()) {
      HtmlGraph graph{dot, std::nullopt, ""};
      if (auto program = FindGraphvizDot()) {
        graph.svg = RenderSvg(*program, dot, &graph.note);
        if (!graph.svg) graph.note += "; the graph in Graphviz DOT:";
      } else {
        graph.note = "Graphviz (dot) was not found on PATH; the graph in Graphviz DOT:";
      }
      if (!Write(options.html, WriteHtml(options.model, summary, graph))) return kExitFailure;
    }
  }
  if (options.json)
    fmt::print("{}\n", FormatSummaryJson(options.model, summary));
  else
    fmt::print("{}", FormatSummaryText(options.model, summary));
  return kExitOk;
}

}  // namespace
}  // namespace onnxkit::tools

int main(int argc, char** argv) {
  using namespace onnxkit::tools;
  return RunTool(kTool, [&]() -> int {
    Options options;
    CLI::App app{"onnx-info: describe an ONNX model and draw its graph.", std::string(kTool)};
    app.set_version_flag("--version", std::string(Version()));
    app.footer(R"(Prints inputs and outputs, IR version and opsets, producer, the op-type histogram (subgraphs
included), parameters per dtype, the largest initializers, metadata_props, subgraphs and
model-local functions.

Examples:
  onnx-info model.onnx                       readable summary
  onnx-info model.onnx --json                the same as one JSON object
  onnx-info model.onnx --dot graph.gv        Graphviz; render with: dot -Tsvg graph.gv -o graph.svg
  onnx-info model.onnx --html report.html    one self-contained page (graph as SVG if dot is on PATH)

Exit codes: 0 success, 1 failure (missing or corrupt model, unwritable output), 2 usage error.)");
    app.add_option("model", options.model, "the .onnx model")->required();
    app.add_flag("--json", options.json, "print one JSON object instead of text");
    app.add_option("--dot", options.dot, "write the main graph as Graphviz DOT to FILE")->option_text("FILE");
    app.add_option("--html", options.html, "write a self-contained HTML page (tables and graph) to FILE")
        ->option_text("FILE");
    if (int code = ParseCommandLine(app, argc, argv); code >= 0) return code;
    return Run(options);
  });
}
