// onnx-opt --report FILE.html: one self-contained page with the model before and after side by
// side (graphs drawn by Graphviz, as onnx-info --html draws them), what each pass did (runs,
// rewrites, time: the figures of --stats), node counts per op type before and after, and sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/model_statistics.h"
#include "passes/pass_manager.h"
#include "tools/onnx-opt/verify.h"
#include "tools/report/html.h"

namespace onnxkit::tools {

struct OptimizationReport {
  std::string input;
  std::string output;    // empty when no model was written (--print only)
  std::string pipeline;  // how the passes were chosen: "-O2", "--passes a,b", ...
  uint64_t input_bytes = 0;
  std::optional<uint64_t> output_bytes;  // the written model file (external data not counted)
  ModelStatistics before, after;
  std::vector<PassRecord> passes;
  size_t rewrites = 0;
  double optimize_ms = 0;  // the pass manager's run, all rounds
  std::optional<VerifyReport> verify;
  HtmlGraph before_graph, after_graph;
  size_t before_graph_nodes = 0, after_graph_nodes = 0;  // nodes of the main graphs drawn
};

std::string WriteReportHtml(const OptimizationReport& report);

}  // namespace onnxkit::tools
