// onnx-opt: reads an ONNX model, applies optimization passes, writes the result.
#include <fmt/format.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ir/model_io.h"
#include "ir/model_statistics.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "tools/common/tool_main.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-opt";

struct Options {
  std::string input;
  std::string output;
  std::optional<int> level;
  std::vector<std::string> passes;
  bool cleanup = false;
  bool list_passes = false;
  bool stats = false;
  bool print = false;
  bool verify_each = false;
  std::optional<uint64_t> external_data_threshold;
};

void ListPasses() {
  size_t width = 0;
  for (const PassInfo& info : RegisteredPasses()) width = std::max(width, info.name.size());
  for (const PassInfo& info : RegisteredPasses())
    fmt::print("{:<{}}  [{}] {}\n", info.name, width, PassGroupName(info.group), info.summary);
}

void PrintStatistics(const ModelStatistics& before, const ModelStatistics& after) {
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
}

Result<PipelineGroups> ChoosePipeline(const Options& options) {
  if (!options.passes.empty()) return PipelineGroups{options.passes};
  if (options.level) return PipelineForLevel(*options.level);
  if (options.cleanup) return PipelineGroups{PassesOfGroup(PassGroup::kCleanup)};
  return PipelineForLevel(2);
}

int Run(const Options& options) {
  auto loaded = LoadModel(options.input);
  if (!loaded.ok()) {
    PrintError(kTool, loaded.message());
    return kExitFailure;
  }
  Model& model = **loaded;
  if (Status valid = VerifyModel(model); !valid.ok()) {
    PrintError(kTool, fmt::format("{}: invalid model: {}", options.input, valid.message()));
    return kExitFailure;
  }
  ModelStatistics before = ComputeStatistics(model);

  auto pipeline = ChoosePipeline(options);
  PassManagerOptions manager_options;
  manager_options.verify_each = options.verify_each;
  PassManager manager(manager_options);
  for (const auto& group : *pipeline) {
    if (Status added = manager.addGroup(group); !added.ok()) {
      PrintError(kTool, added.message());
      return kExitUsage;
    }
  }
  auto rewrites = manager.run(model);
  if (!rewrites.ok()) {
    PrintError(kTool, fmt::format("{}: {}", options.input, rewrites.message()));
    return kExitFailure;
  }
  if (Status valid = VerifyModel(model); !valid.ok()) {
    PrintError(kTool, fmt::format("{}: the optimized model is invalid (a bug; nothing written): {}", options.input,
                                  valid.message()));
    return kExitFailure;
  }

  if (options.print) std::cout << PrintModelText(model) << std::flush;
  if (!options.output.empty()) {
    SaveOptions save_options;
    save_options.external_data_threshold = options.external_data_threshold;
    auto saved = SaveModel(model, options.output, save_options);
    if (!saved.ok()) {
      PrintError(kTool, saved.message());
      return kExitFailure;
    }
    if (saved->external_data_forced_by_size)
      fmt::print(stderr, "{}: note: the model exceeds 2 GiB; weights were written to {}\n", kTool,
                 saved->external_data_file.string());
  }
  if (options.stats) {
    PrintStatistics(before, ComputeStatistics(model));
    for (const PassRecord& record : manager.records())
      fmt::print("pass {:<28} runs {:>3}  rewrites {:>6}  {:>9.3f} ms\n", record.name, record.runs, record.rewrites,
                 record.seconds * 1e3);
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
    app.footer(R"(Examples:
  onnx-opt model.onnx model.opt.onnx            optimize at level 2 (the default)
  onnx-opt -O0 model.onnx copy.onnx             lossless round trip, no pass
  onnx-opt --passes eliminate-identity,eliminate-dead-nodes in.onnx out.onnx
  onnx-opt --stats model.onnx out.onnx          node counts per op type before/after
  onnx-opt --print model.onnx                   print the model in ONNX textual syntax
  onnx-opt --external-data=1024 big.onnx out.onnx   weights >= 1 KiB to out.onnx.data

Exit codes: 0 success, 1 failure (bad model, pass error, cannot write), 2 usage error.)");
    app.add_option("input", options.input, "input .onnx model");
    app.add_option("output", options.output, "output .onnx model (written atomically; may equal the input)");
    app.add_option("-O", options.level, "optimization level: 0 none, 1 cleanup+folding, 2 +fusions (default), 3 +ONNX Runtime fusions")
        ->check(CLI::Range(0, 3));
    std::string pass_list;
    app.add_option("--passes", pass_list, "comma-separated passes to run (to a fixed point), instead of a level");
    app.add_flag("--dce", options.cleanup, "run the cleanup group (dead nodes, identities, ...)");
    app.add_flag("--list-passes", options.list_passes, "list every pass with a one-line summary and exit");
    app.add_flag("--stats", options.stats, "print node counts per op type, parameters and bytes before/after, and per-pass statistics");
    app.add_flag("--print", options.print, "print the resulting model in ONNX textual syntax on stdout");
    app.add_flag("--verify-each", options.verify_each, "verify the model after every pass that changed it");
    app.add_option("--external-data", options.external_data_threshold,
                   "write tensors of at least THRESHOLD bytes (default 1024) to <output>.data")
        ->expected(0, 1)
        ->default_str("1024");
    if (int code = ParseCommandLine(app, argc, argv); code >= 0) return code;
    for (size_t begin = 0; begin < pass_list.size();) {
      size_t end = std::min(pass_list.find(',', begin), pass_list.size());
      if (end > begin) options.passes.push_back(pass_list.substr(begin, end - begin));
      begin = end + 1;
    }

    if (options.list_passes) {
      ListPasses();
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
    if (!options.passes.empty() && options.level) {
      PrintError(kTool, "--passes and -O are exclusive (see --help)");
      return kExitUsage;
    }
    for (const std::string& name : options.passes) {
      if (!onnxkit::FindPass(name)) {
        PrintError(kTool, fmt::format("unknown pass '{}' (see --list-passes)", name));
        return kExitUsage;
      }
    }
    return Run(options);
  });
}
