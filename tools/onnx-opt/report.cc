// The HTML page of onnx-opt --report (see report.h).
#include "tools/onnx-opt/report.h"

#include <fmt/format.h>

#include <set>

#include "passes/registry.h"
#include "tools/common/human_bytes.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kReportStyle = R"(
.row { display: flex; flex-wrap: wrap; gap: 0 2.5em; align-items: flex-start; }
details { margin-top: 0.5em; } summary { cursor: pointer; color: #555; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; align-items: start; }
.side h3 { font-size: 1em; margin: 0.5em 0; }
.side svg { max-width: 100%; height: auto; }
tr.changed td { background: #fff3c4; }
.summary { font-size: 1.05em; }
)";

std::string Change(int64_t before, int64_t after) {
  int64_t delta = after - before;
  return delta == 0 ? "0" : fmt::format("{:+}", delta);
}

std::string Bytes(int64_t bytes) { return fmt::format("{} ({})", bytes, HumanBytes(bytes)); }

int64_t CountOf(const ModelStatistics& statistics, const std::string& op) {
  auto it = statistics.nodes_per_op.find(op);
  return it == statistics.nodes_per_op.end() ? 0 : it->second;
}

}  // namespace

std::string WriteReportHtml(const OptimizationReport& r) {
  std::string title = r.output.empty() ? r.input : r.input + " \u2192 " + r.output;
  std::string out = HtmlPageBegin("onnx-opt report: " + title, kReportStyle);
  out += fmt::format("<h1>onnx-opt: {}</h1>\n", HtmlEscape(title));
  size_t passes_that_changed = 0;
  for (const PassRecord& record : r.passes) passes_that_changed += record.rewrites > 0;
  out += fmt::format(
      "<p class=\"summary\">Pipeline {}: {} rewrites by {} of {} passes in {:.1f} ms; nodes {} \u2192 {}.</p>\n",
      HtmlEscape(r.pipeline), r.rewrites, passes_that_changed, r.passes.size(), r.optimize_ms, r.before.node_count,
      r.after.node_count);

  std::vector<std::vector<std::string>> rows{
      {"nodes", std::to_string(r.before.node_count), std::to_string(r.after.node_count),
       Change(r.before.node_count, r.after.node_count)},
      {"initializers", std::to_string(r.before.initializer_count), std::to_string(r.after.initializer_count),
       Change(r.before.initializer_count, r.after.initializer_count)},
      {"parameters", std::to_string(r.before.parameter_count), std::to_string(r.after.parameter_count),
       Change(r.before.parameter_count, r.after.parameter_count)},
      {"initializer bytes", Bytes(r.before.initializer_bytes), Bytes(r.after.initializer_bytes),
       Change(r.before.initializer_bytes, r.after.initializer_bytes)},
  };
  auto input_bytes = static_cast<int64_t>(r.input_bytes);
  if (r.output_bytes) {
    auto output_bytes = static_cast<int64_t>(*r.output_bytes);
    rows.push_back({"file bytes", Bytes(input_bytes), Bytes(output_bytes), Change(input_bytes, output_bytes)});
  } else {
    rows.push_back({"file bytes", Bytes(input_bytes), "(not written)", ""});
  }
  // Sizes, op types and passes next to each other; the graphs below them.
  out += "<div class=\"row\">\n<div>\n" + HtmlTable("Sizes", {"", "before", "after", "change"}, rows) + "</div>\n";

  std::vector<std::string> classes;
  std::set<std::string> ops;
  for (const auto& [op, count] : r.before.nodes_per_op) ops.insert(op);
  for (const auto& [op, count] : r.after.nodes_per_op) ops.insert(op);
  rows.clear();
  classes.clear();
  for (const std::string& op : ops) {
    int64_t before = CountOf(r.before, op), after = CountOf(r.after, op);
    rows.push_back({op, std::to_string(before), std::to_string(after), Change(before, after)});
    classes.push_back(before != after ? "changed" : "");
  }
  out += "<div>\n" + HtmlTable("Op types", {"op type", "before", "after", "change"}, rows, classes) + "</div>\n";

  // Every pass in pipeline order: those that changed the model in the table, the others folded away.
  std::vector<std::string> header{"pass", "group", "runs", "rewrites", "time (ms)"};
  std::vector<std::vector<std::string>> changed, unchanged;
  for (const PassRecord& record : r.passes) {
    const PassInfo* info = FindPass(record.name);
    (record.rewrites > 0 ? changed : unchanged)
        .push_back({record.name, info ? std::string(PassGroupName(info->group)) : "", std::to_string(record.runs),
                    std::to_string(record.rewrites), fmt::format("{:.3f}", record.seconds * 1e3)});
  }
  out += fmt::format("<div>\n<h2>Passes ({})</h2>\n", r.passes.size());
  out += HtmlTableOnly(header, changed, std::vector<std::string>(changed.size(), "changed"));
  if (!unchanged.empty())
    out += fmt::format("<details><summary>{} pass{} that changed nothing</summary>\n{}</details>\n", unchanged.size(),
                       unchanged.size() == 1 ? "" : "es", HtmlTableOnly(header, unchanged));
  out += "</div>\n</div>\n";

  if (r.verify) {
    out += fmt::format("<h2>Verification</h2>\n<p>{} sample(s) on the bundled runtime: max abs error {:.4g}, min cosine "
                       "{:.6f}: {}.</p>\n",
                       r.verify->samples, r.verify->max_absolute_error, r.verify->min_cosine,
                       r.verify->passed ? "the outputs agree" : "the outputs DIFFER");
  }

  out += "<h2>Graphs</h2>\n" + HtmlOpKindLegend();
  out += "<div class=\"side\">\n";
  out += fmt::format("<div id=\"before\"><h3>Before: {} ({} nodes in the main graph)</h3>\n{}</div>\n",
                     HtmlEscape(r.input), r.before_graph_nodes, HtmlGraphBlock(r.before_graph));
  out += fmt::format("<div id=\"after\"><h3>After: {} ({} nodes in the main graph)</h3>\n{}</div>\n",
                     HtmlEscape(r.output.empty() ? "(not written)" : r.output), r.after_graph_nodes,
                     HtmlGraphBlock(r.after_graph));
  out += "</div>\n";
  return out + HtmlPageEnd();
}

}  // namespace onnxkit::tools
