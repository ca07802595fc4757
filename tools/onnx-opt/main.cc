// onnx-opt: reads an ONNX model, applies optimization passes, writes the result.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ir/atomic_file.h"
#include "ir/model_io.h"
#include "ir/model_statistics.h"
#include "ir/pattern.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "tools/common/json.h"
#include "tools/common/model_files.h"
#include "tools/common/output.h"
#include "tools/common/tool_main.h"
#include "tools/onnx-opt/conversions.h"
#include "tools/onnx-opt/report.h"
#include "tools/onnx-opt/verify.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-opt";

struct Options {
  std::string input;
  std::string output;
  std::optional<int> level;
  std::vector<std::string> passes;
  std::vector<std::string> disabled;
  bool fold = false;
  bool fuse = false;
  bool cleanup = false;
  std::string target = "onnx";
  bool list_passes = false;
  bool stats = false;
  bool print = false;
  bool verify_each = false;
  bool explain = false;
  std::optional<std::string> verify;  // "" for seeded random inputs, else a data folder
  VerifyTolerance verify_tolerance;
  std::string print_ir_after;
  std::optional<uint64_t> fold_max_bytes;
  std::optional<uint64_t> external_data_threshold;
  ConversionOptions conversions;  // --target-opset, --fp16, --overwrite-input-shape, --fix-batch
  std::string report;  // --report FILE.html
  ToolOutput console{kTool};
};

void ListPasses(bool json_output) {
  if (json_output) {
    JsonWriter json;
    json.beginArray();
    for (const PassInfo& info : RegisteredPasses())
      json.beginObject()
          .field("name", info.name)
          .field("group", PassGroupName(info.group))
          .field("summary", info.summary)
          .endObject();
    json.endArray();
    fmt::print("{}\n", json.str());
    return;
  }
  size_t width = 0;
  for (const PassInfo& info : RegisteredPasses()) width = std::max(width, info.name.size());
  for (const PassInfo& info : RegisteredPasses())
    fmt::print("{:<{}}  [{}] {}\n", info.name, width, PassGroupName(info.group), info.summary);
}

PipelineGroups ChoosePipeline(const Options& options) {
  if (!options.passes.empty()) return PipelineGroups{options.passes};
  bool ort = options.target == "ort";
  PipelineGroups groups;
  if (options.fold || options.fuse || options.cleanup) {
    groups = Pipeline(options.fold, options.fuse, options.fuse && ort);
  } else {
    int level = options.level.value_or(2);
    if (ort && level == 2) level = 3;  // --target ort is -O3
    groups = PipelineForLevel(level);
  }
  for (auto& group : groups)
    std::erase_if(group, [&](const std::string& name) {
      return std::find(options.disabled.begin(), options.disabled.end(), name) != options.disabled.end();
    });
  std::erase_if(groups, [](const auto& group) { return group.empty(); });
  return groups;
}

void PrintStatistics(const ModelStatistics& before, const ModelStatistics& after, const PassManager& manager) {
  std::set<std::string> ops;
  for (const auto& [op, count] : before.nodes_per_op) ops.insert(op);
  for (const auto& [op, count] : after.nodes_per_op) ops.insert(op);
  size_t width = 12;
  for (const auto& op : ops) width = std::max(width, op.size());
  auto count_of = [](const ModelStatistics& s, const std::string& op) {
    auto it = s.nodes_per_op.find(op);
    return it == s.nodes_per_op.end() ? int64_t{0} : it->second;
  };
  fmt::print("{:<{}} {:>12} {:>12}\n", "op type", width, "before", "after");
  for (const auto& op : ops) fmt::print("{:<{}} {:>12} {:>12}\n", op, width, count_of(before, op), count_of(after, op));
  fmt::print("{:<{}} {:>12} {:>12}\n", "nodes", width, before.node_count, after.node_count);
  fmt::print("{:<{}} {:>12} {:>12}\n", "initializers", width, before.initializer_count, after.initializer_count);
  fmt::print("{:<{}} {:>12} {:>12}\n", "parameters", width, before.parameter_count, after.parameter_count);
  fmt::print("{:<{}} {:>12} {:>12}\n", "bytes", width, before.initializer_bytes, after.initializer_bytes);
  for (const PassRecord& record : manager.records())
    fmt::print("pass {:<34} runs {:>3}  rewrites {:>6}  {:>9.3f} ms\n", record.name, record.runs, record.rewrites,
               record.seconds * 1e3);
}

void WriteStatisticsJson(JsonWriter& json, const char* suffix, const ModelStatistics& s) {
  json.field(fmt::format("nodes_{}", suffix), s.node_count)
      .field(fmt::format("initializers_{}", suffix), s.initializer_count)
      .field(fmt::format("parameters_{}", suffix), s.parameter_count)
      .field(fmt::format("initializer_bytes_{}", suffix), s.initializer_bytes);
  json.key(fmt::format("ops_{}", suffix)).beginObject();
  for (const auto& [op, count] : s.nodes_per_op) json.field(op, count);
  json.endObject();
}

// How the passes were chosen, for the report.
std::string DescribePipeline(const Options& options) {
  if (!options.passes.empty()) return "--passes " + fmt::format("{}", fmt::join(options.passes, ","));
  std::string text;
  if (options.fold || options.fuse || options.cleanup) {
    if (options.fold) text += "--fold ";
    if (options.fuse) text += "--fuse ";
    if (options.cleanup) text += "--dce ";
    text.pop_back();
  } else {
    int level = options.level.value_or(2);
    if (options.target == "ort" && level == 2) level = 3;  // as ChoosePipeline
    text = fmt::format("-O{}", level);
  }
  if (options.target != "onnx") text += " --target " + options.target;
  if (!options.disabled.empty()) text += " --disable " + fmt::format("{}", fmt::join(options.disabled, ","));
  return text;
}

int Run(const Options& options) {
  const ToolOutput& out = options.console;
  // The report's file first: an unwritable path fails before any work (and before the model is written).
  std::unique_ptr<AtomicFile> report_file;
  if (!options.report.empty()) {
    auto created = AtomicFile::Create(options.report);
    if (!created.ok()) {
      PrintError(kTool, fmt::format("--report: {}", created.message()));
      return kExitFailure;
    }
    report_file = std::move(created).value();
  }
  if (options.explain) SetExplainRewrites(true);
  Stopwatch phase;
  auto loaded = LoadModelWithProgress(options.input);
  if (!loaded.ok()) {
    PrintError(kTool, loaded.message());
    return kExitFailure;
  }
  Model& model = **loaded;
  if (Status valid = VerifyModel(model); !valid.ok()) {
    PrintError(kTool, fmt::format("{}: invalid model: {}", options.input, valid.message()));
    return kExitFailure;
  }
  out.detail("load and verify {}: {:.1f} ms", options.input, phase.milliseconds());
  ModelStatistics before = ComputeStatistics(model);
  OptimizationReport page;  // --report
  if (report_file) {
    phase.restart();
    page.before_graph.dot = GraphDot(model);
    page.before_graph_nodes = model.graph().nodeCount();
    out.detail("report: shape inference and DOT of the original: {:.1f} ms", phase.milliseconds());
  }
  // For --verify: the original, loaded again (its weights are the same mapped file).
  std::unique_ptr<Model> original;
  if (options.verify) {
    auto again = LoadModel(options.input);
    if (!again.ok()) {
      PrintError(kTool, again.message());
      return kExitFailure;
    }
    original = std::move(again).value();
  }

  PassManagerOptions manager_options;
  manager_options.verify_each = options.verify_each;
  manager_options.pass_options.fold_max_bytes = options.fold_max_bytes;
  manager_options.pipeline_rounds = options.passes.empty() ? 3 : 1;
  if (!options.print_ir_after.empty()) {
    manager_options.after_pass = [&](std::string_view pass, const Model& current) {
      if (options.print_ir_after != "all" && options.print_ir_after != pass) return;
      fmt::print(stderr, "// ----- after {} -----\n{}", pass, PrintModelText(current));
    };
  }
  PassManager manager(manager_options);
  for (const auto& group : ChoosePipeline(options)) {
    if (Status added = manager.addGroup(group); !added.ok()) {
      PrintError(kTool, added.message());
      return kExitUsage;
    }
  }
  phase.restart();
  auto rewrites = RunWithConversions(manager, model, options.conversions);  // conversions around the pipeline
  if (!rewrites.ok()) {
    PrintError(kTool, fmt::format("{}: {}", options.input, rewrites.message()));
    return kExitFailure;
  }
  double optimize_ms = phase.milliseconds();
  if (out.verbose()) {
    out.detail("passes: {} rewrites in {:.1f} ms", *rewrites, optimize_ms);
    for (const PassRecord& record : manager.records())
      out.detail("  {:<40} runs {:>3}  rewrites {:>6}  {:>9.3f} ms", record.name, record.runs, record.rewrites,
                 record.seconds * 1e3);
  }
  if (Status valid = VerifyModel(model); !valid.ok()) {
    PrintError(kTool, fmt::format("{}: the optimized model is invalid (a bug; nothing written): {}", options.input,
                                  valid.message()));
    return kExitFailure;
  }

  std::optional<VerifyReport> verified;
  if (options.verify) {
    auto report = VerifyOptimization(*original, model, *options.verify, options.verify_tolerance);
    if (!report.ok()) {
      PrintError(kTool, fmt::format("--verify: {}", report.message()));
      return kExitFailure;
    }
    verified = std::move(report).value();
    if (!verified->passed) {
      PrintError(kTool, fmt::format("--verify: the optimized model's output '{}' differs from the original's (max abs "
                                    "error {:.4g}); nothing written",
                                    verified->worst_output, verified->max_absolute_error));
      return kExitFailure;
    }
  }

  if (report_file) {
    phase.restart();
    page.after_graph.dot = GraphDot(model);
    page.after_graph_nodes = model.graph().nodeCount();
    out.detail("report: shape inference and DOT of the result: {:.1f} ms", phase.milliseconds());
  }

  if (options.print) std::cout << PrintModelText(model) << std::flush;
  if (!options.output.empty()) {
    phase.restart();
    SaveOptions save_options;
    save_options.external_data_threshold = options.external_data_threshold;
    auto saved = SaveModelWithProgress(model, options.output, save_options);
    if (!saved.ok()) {
      PrintError(kTool, saved.message());
      return kExitFailure;
    }
    if (saved->external_data_forced_by_size)
      out.note("the model exceeds 2 GiB; weights were written to {}", saved->external_data_file.string());
    out.detail("save {}: {} bytes in {:.1f} ms", options.output, saved->model_bytes, phase.milliseconds());
    page.output_bytes = saved->model_bytes;
  }
  ModelStatistics after = ComputeStatistics(model);
  if (report_file) {
    phase.restart();
    page.input = options.input;
    page.output = options.output;
    page.pipeline = DescribePipeline(options);
    std::error_code error;
    page.input_bytes = std::filesystem::file_size(options.input, error);
    page.before = before;
    page.after = after;
    page.passes = manager.records();
    page.rewrites = *rewrites;
    page.optimize_ms = optimize_ms;
    page.verify = verified;
    page.before_graph = RenderGraph(std::move(page.before_graph.dot), "before-");
    page.after_graph = RenderGraph(std::move(page.after_graph.dot), "after-");
    if (!page.after_graph.svg) out.note("--report: {}", page.after_graph.note);
    Status written = report_file->write(WriteReportHtml(page));
    if (written.ok()) written = report_file->commit();
    if (!written.ok()) {
      PrintError(kTool, fmt::format("--report: {}", written.message()));
      return kExitFailure;
    }
    out.detail("report {}: {:.1f} ms", options.report, phase.milliseconds());
  }
  if (out.json()) {
    JsonWriter json;
    json.beginObject().field("input", options.input).field("output", options.output).field("rewrites", *rewrites);
    WriteStatisticsJson(json, "before", before);
    WriteStatisticsJson(json, "after", after);
    json.key("passes").beginArray();
    for (const PassRecord& record : manager.records())
      json.beginObject()
          .field("name", record.name)
          .field("runs", record.runs)
          .field("rewrites", record.rewrites)
          .field("ms", record.seconds * 1e3)
          .endObject();
    json.endArray();
    if (verified)
      json.key("verify")
          .beginObject()
          .field("passed", verified->passed)
          .field("samples", verified->samples)
          .field("max_abs_error", verified->max_absolute_error)
          .field("min_cosine", verified->min_cosine)
          .endObject();
    json.endObject();
    out.printJson(json);
  } else if (options.stats && out.human()) {
    PrintStatistics(before, after, manager);
    if (verified)
      fmt::print("verify: {} sample(s), max abs error {:.4g}, min cosine {:.6f}: outputs agree\n", verified->samples,
                 verified->max_absolute_error, verified->min_cosine);
  }
  return kExitOk;
}

}  // namespace
}  // namespace onnxkit::tools

int main(int argc, char** argv) {
  using namespace onnxkit::tools;
  return RunTool(kTool, [&]() -> int {
    Options options;
    CLI::App app{"onnx-opt: optimize an ONNX model (graph rewrites that keep its meaning).", std::string(kTool)};
    app.set_version_flag("--version", std::string(Version()));
    app.footer(R"(Levels: -O1 = folding + cleanup; -O2 = -O1 + fusions into standard ONNX ops (the default);
-O3 = -O2 + fusions into ONNX Runtime contrib ops (com.microsoft), the same as --target ort.
--fold, --fuse and --dce pick groups instead; cleanup always runs last. Each group runs to a
fixed point, and the whole pipeline again while it changes something (at most 3 times).

Examples:
  onnx-opt model.onnx model.opt.onnx               optimize at -O2
  onnx-opt -O0 model.onnx copy.onnx                lossless round trip, no pass
  onnx-opt --target ort model.onnx model.ort.onnx  also fuse into ONNX Runtime contrib ops
  onnx-opt --verify --stats model.onnx out.onnx    check the result on the bundled runtime
  onnx-opt --passes fuse-conv-batchnorm,eliminate-dead-nodes in.onnx out.onnx
  onnx-opt --disable fuse-gelu --json model.onnx out.onnx
  onnx-opt --print model.onnx                      print the model in ONNX textual syntax
  onnx-opt --report report.html model.onnx out.onnx  before/after graphs, passes, op counts in one page
  onnx-opt -v model.onnx out.onnx                  time of each phase and pass (stderr)
  onnx-opt -q model.onnx out.onnx                  nothing but errors

Exit codes: 0 success, 1 failure (bad model, pass error, --verify mismatch, cannot write), 2 usage error.)");
    app.add_option("input", options.input, "input .onnx model");
    app.add_option("output", options.output, "output .onnx model (written atomically; may equal the input)");
    app.add_option("-O", options.level, "optimization level 0-3 (default 2; 3 with --target ort)")->check(CLI::Range(0, 3));
    std::string pass_list, disabled_list;
    app.add_option("--passes", pass_list, "comma-separated passes to run, to a fixed point, instead of a level");
    app.add_option("--disable", disabled_list, "comma-separated passes to leave out of the pipeline");
    app.add_flag("--fold", options.fold, "run the folding group (constant and shape folding)");
    app.add_flag("--fuse", options.fuse, "run the fusion group");
    app.add_flag("--dce", options.cleanup, "run the cleanup group (always runs after the others)");
    app.add_option("--target", options.target, "onnx: standard ONNX ops only (default); ort: also ONNX Runtime contrib ops")
        ->check(CLI::IsMember({"onnx", "ort"}));
    app.add_option("--fold-max-bytes", options.fold_max_bytes,
                   "fold constants up to this many output bytes even when that grows the model (default: only folds "
                   "that do not grow it)");
    auto* verify = app.add_option("--verify", options.verify,
                                  "run original and result on the bundled runtime (on DATA_DIR's samples, or seeded "
                                  "random inputs) and fail, writing nothing, if outputs differ")
                       ->expected(0, 1)
                       ->default_str("");
    app.add_option("--verify-rtol", options.verify_tolerance.relative, "relative tolerance of --verify (default 1e-3)")
        ->needs(verify);
    app.add_option("--verify-atol", options.verify_tolerance.absolute, "absolute tolerance of --verify (default 1e-4)")
        ->needs(verify);
    app.add_flag("--list-passes", options.list_passes, "list every pass with its group and a one-line summary, and exit");
    app.add_flag("--stats", options.stats, "print node counts per op type, parameters and bytes before/after, and runs, rewrites and time per pass");
    app.add_option("--report", options.report,
                   "write one self-contained HTML page: the graphs before and after side by side, what each pass "
                   "did, op counts and sizes")
        ->option_text("FILE.html");
    options.console.addFlags(app, "print the time of each phase and runs, rewrites and time of each pass",
                            "print the statistics (and --verify result) as one JSON object; with --list-passes, the "
                            "passes as a JSON array");
    app.add_flag("--print", options.print, "print the resulting model in ONNX textual syntax on stdout")
        ->excludes("--json");
    app.add_option("--print-ir-after", options.print_ir_after, "print the model on stderr after this pass (or 'all') changes it");
    app.add_flag("--verify-each", options.verify_each, "run the structural verifier after every pass that changed the model");
    app.add_flag("--explain", options.explain, "say on stderr why each pattern did not apply to each node it looked at");
    app.add_option("--external-data", options.external_data_threshold,
                   "write tensors of at least THRESHOLD bytes (default 1024) to <output>.data")
        ->expected(0, 1)
        ->default_str("1024");
    AddConversionOptions(app, options.conversions);
    if (int code = ParseCommandLine(app, argc, argv); code >= 0) return code;
    options.passes = SplitCommaList(pass_list);
    options.disabled = SplitCommaList(disabled_list);

    if (options.list_passes) {
      ListPasses(options.console.json());
      return kExitOk;
    }
    if (options.input.empty()) {
      PrintError(kTool, "missing input model (see --help)");
      return kExitUsage;
    }
    if (options.output.empty() && !options.print) {
      PrintError(kTool, "missing output file (or --print) (see --help)");
      return kExitUsage;
    }
    if (!options.passes.empty() && (options.level || options.fold || options.fuse || options.cleanup)) {
      PrintError(kTool, "--passes cannot be combined with -O, --fold, --fuse or --dce (see --help)");
      return kExitUsage;
    }
    for (const auto* list : {&options.passes, &options.disabled}) {
      for (const std::string& name : *list) {
        if (!onnxkit::FindPass(name)) {
          PrintError(kTool, fmt::format("unknown pass '{}' (see --list-passes)", name));
          return kExitUsage;
        }
      }
    }
    if (!options.print_ir_after.empty() && options.print_ir_after != "all" && !onnxkit::FindPass(options.print_ir_after)) {
      PrintError(kTool, fmt::format("--print-ir-after: unknown pass '{}' (see --list-passes)", options.print_ir_after));
      return kExitUsage;
    }
    return Run(options);
  });
}
