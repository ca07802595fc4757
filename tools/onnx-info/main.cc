// onnx-info: describes a model (inputs/outputs, opsets, producer, op types, parameters, largest
// initializers, metadata, subgraphs, local functions) as text or JSON, and draws its graph as
// Graphviz DOT or a self-contained HTML page.
#include <fmt/format.h>

#include "ir/atomic_file.h"
#include "ir/verifier.h"
#include "tools/common/model_files.h"
#include "tools/common/output.h"
#include "tools/common/tool_main.h"
#include "tools/onnx-info/html_writer.h"
#include "tools/onnx-info/summary_report.h"
#include "tools/report/html.h"
#include "tools/report/model_summary.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-info";

struct Options {
  std::string model;
  std::string dot;
  std::string html;
  ToolOutput console{kTool};
};

bool Write(const std::string& path, std::string_view bytes) {
  if (Status written = WriteFileAtomically(path, bytes); !written.ok()) {
    PrintError(kTool, written.message());
    return false;
  }
  return true;
}

int Run(const Options& options) {
  const ToolOutput& out = options.console;
  Stopwatch phase;
  auto model = LoadModelWithProgress(options.model);
  if (!model.ok()) {
    PrintError(kTool, model.message());
    return kExitFailure;
  }
  // Refused like every other tool: shape inference and the drawing assume a well-formed graph.
  if (Status valid = VerifyModel(**model); !valid.ok()) {
    PrintError(kTool, fmt::format("{}: invalid model: {}", options.model, valid.message()));
    return kExitFailure;
  }
  out.detail("load and verify {}: {:.1f} ms", options.model, phase.milliseconds());
  phase.restart();
  ModelSummary summary = SummarizeModel(**model);
  out.detail("summary: {:.1f} ms", phase.milliseconds());
  if (!options.dot.empty() || !options.html.empty()) {
    phase.restart();
    // Shapes on the edges: ONNX shape inference (the model itself is not changed).
    std::string dot = GraphDot(**model);
    out.detail("shape inference and DOT ({} nodes): {:.1f} ms", (*model)->graph().nodeCount(), phase.milliseconds());
    if (!options.dot.empty() && !Write(options.dot, dot)) return kExitFailure;
    if (!options.html.empty()) {
      phase.restart();
      HtmlGraph graph = RenderGraph(std::move(dot));
      if (graph.svg)
        out.detail("Graphviz SVG ({}): {:.1f} ms", HumanBytes(static_cast<int64_t>(graph.svg->size())),
                   phase.milliseconds());
      else
        out.detail("no SVG: {}", graph.note);
      if (!Write(options.html, WriteHtml(options.model, summary, graph))) return kExitFailure;
      out.detail("wrote {}", options.html);
    }
  }
  if (out.json()) {
    out.printJson(FormatSummaryJson(options.model, summary));
  } else {
    out.printText(FormatSummaryText(options.model, summary));
  }
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
  onnx-info -q model.onnx --html report.html  only the page, nothing on stdout

Exit codes: 0 success, 1 failure (missing or corrupt model, unwritable output), 2 usage error.)");
    app.add_option("model", options.model, "the .onnx model")->required();
    options.console.addFlags(app, "print the time of each phase (load, summary, shape inference, Graphviz)",
                            "print one JSON object instead of text");
    app.add_option("--dot", options.dot, "write the main graph as Graphviz DOT to FILE")->option_text("FILE");
    app.add_option("--html", options.html, "write a self-contained HTML page (tables and graph) to FILE")
        ->option_text("FILE");
    if (int code = ParseCommandLine(app, argc, argv); code >= 0) return code;
    return Run(options);
  });
}
