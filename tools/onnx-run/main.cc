// onnx-run: runs a model on the bundled runtime, with given or seeded random inputs; writes the
// outputs as .npy and measures latency.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>

#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "runtime/session.h"
#include "runtime/tensor_io.h"
#include "tools/common/json.h"
#include "tools/common/model_files.h"
#include "tools/common/model_inputs.h"
#include "tools/common/output.h"
#include "tools/common/tool_main.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-run";

struct Options {
  std::string model;
  InputOptions inputs;
  std::string out;
  std::string save_inputs;
  int threads = 0;
  int optimize = 0;
  bool reference_kernels = false;
  int bench = 0;
  ToolOutput console{kTool};
};

double PeakRssMegabytes() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double Percentile(std::vector<double> sorted, double fraction) {
  std::sort(sorted.begin(), sorted.end());
  double position = fraction * static_cast<double>(sorted.size() - 1);
  size_t below = static_cast<size_t>(position);
  size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - static_cast<double>(below));
}

struct Summary {
  double min = 0, max = 0, mean = 0;
  bool numeric = false;
};

Summary Summarize(const runtime::Tensor& tensor) {
  Summary s;
  if (tensor.dtype() == DataType::kString || tensor.elementCount() == 0) return s;
  s.numeric = true;
  s.min = s.max = tensor.elementAsDouble(0);
  double sum = 0;
  for (int64_t i = 0; i < tensor.elementCount(); ++i) {
    double v = tensor.elementAsDouble(i);
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
    sum += v;
  }
  s.mean = sum / static_cast<double>(tensor.elementCount());
  return s;
}

// --verbose: the wall time of every node of one run (subgraph nodes included, indented), measured
// from the previous node's end, and the totals per op type, slowest first.
class NodeTimer {
 public:
  runtime::RunOptions options() {
    runtime::RunOptions run;
    run.observer = [this](const Node& node, std::span<const runtime::Tensor>) {
      auto now = std::chrono::steady_clock::now();
      double ms = std::chrono::duration<double, std::milli>(now - last_).count();
      last_ = now;
      std::string op = node.isOnnxDomain() ? node.opType() : node.domain() + "." + node.opType();
      nodes_.push_back({node.owner()->depth(), op, node.name(), ms});
    };
    last_ = std::chrono::steady_clock::now();
    return run;
  }

  void print(const ToolOutput& out) const {
    out.detail("per-node time of the first run ({} nodes executed):", nodes_.size());
    std::map<std::string, std::pair<double, int>> per_op;
    size_t width = 1;
    for (const auto& n : nodes_) width = std::max(width, std::min<size_t>(n.name.size(), 60));
    for (const auto& n : nodes_) {
      out.detail("  {}{:<24} {:<{}} {:>10.3f} ms", std::string(2 * static_cast<size_t>(n.depth), ' '), n.op,
                 n.name.empty() ? "-" : n.name, width, n.ms);
      per_op[n.op].first += n.ms;
      ++per_op[n.op].second;
    }
    std::vector<std::pair<std::string, std::pair<double, int>>> sorted(per_op.begin(), per_op.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second.first > b.second.first; });
    out.detail("per op type:");
    for (const auto& [op, total] : sorted) out.detail("  {:<24} {:>5} nodes {:>10.3f} ms", op, total.second, total.first);
  }

 private:
  struct Timing {
    int depth;
    std::string op, name;
    double ms;
  };
  std::chrono::steady_clock::time_point last_;
  std::vector<Timing> nodes_;
};

int Run(const Options& options) {
  const ToolOutput& out = options.console;
  Stopwatch phase;
  auto model = LoadModelWithProgress(options.model);
  if (!model.ok()) {
    PrintError(kTool, model.message());
    return kExitFailure;
  }
  if (Status valid = VerifyModel(**model); !valid.ok()) {
    PrintError(kTool, fmt::format("{}: invalid model: {}", options.model, valid.message()));
    return kExitFailure;
  }
  out.detail("load and verify {}: {:.1f} ms", options.model, phase.milliseconds());
  if (options.optimize > 0) {  // what onnx-opt -O<level> would write, in memory
    phase.restart();
    PassManager manager;
    for (const auto& group : PipelineForLevel(options.optimize)) ONNXKIT_CHECK(manager.addGroup(group).ok(), "pipeline");
    auto rewrites = manager.run(**model);
    if (!rewrites.ok()) {
      PrintError(kTool, fmt::format("{}: -O{}: {}", options.model, options.optimize, rewrites.message()));
      return kExitFailure;
    }
    out.detail("-O{}: {} rewrites in {:.1f} ms", options.optimize, *rewrites, phase.milliseconds());
  }
  phase.restart();
  runtime::SessionOptions session_options;
  session_options.threads = options.threads;
  session_options.reference_kernels = options.reference_kernels;
  auto session = runtime::Session::Create(**model, session_options);
  if (!session.ok()) {
    PrintError(kTool, fmt::format("{}: {}", options.model, session.message()));
    return kExitFailure;
  }
  out.detail("session: {:.1f} ms", phase.milliseconds());
  auto feeds = GatherInputs((*session)->inputs(), options.inputs);
  if (!feeds.ok()) {
    PrintError(kTool, feeds.message());
    return kExitFailure;
  }

  if (!options.save_inputs.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.save_inputs, error);
    for (const auto& [name, tensor] : *feeds) {
      if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
        PrintError(kTool, fmt::format("--save-inputs: input name '{}' cannot be a file name", name));
        return kExitFailure;
      }
      auto path = std::filesystem::path(options.save_inputs) / (name + ".npy");
      if (Status written = runtime::WriteNpy(path, tensor); !written.ok()) {
        PrintError(kTool, written.message());
        return kExitFailure;
      }
    }
  }

  for (const auto& [name, tensor] : *feeds) out.detail("input {}: {}", name, runtime::DescribeTensor(tensor));
  NodeTimer node_timer;
  runtime::RunOptions run_options = out.verbose() ? node_timer.options() : runtime::RunOptions{};
  auto start = std::chrono::steady_clock::now();
  auto outputs = (*session)->run(*feeds, run_options);
  double first_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!outputs.ok()) {
    PrintError(kTool, fmt::format("{}: {}", options.model, outputs.message()));
    return kExitFailure;
  }
  if (out.verbose()) node_timer.print(out);

  if (!options.out.empty()) {
    std::error_code error;
    std::filesystem::create_directories(options.out, error);
    for (size_t i = 0; i < outputs->size(); ++i) {
      auto path = std::filesystem::path(options.out) / fmt::format("output_{}.npy", i);
      if (Status written = runtime::WriteNpy(path, (*outputs)[i]); !written.ok()) {
        PrintError(kTool, written.message());
        return kExitFailure;
      }
    }
  }

  const auto& specs = (*session)->outputs();
  if (options.bench > 0) {
    int warmup = std::clamp(options.bench / 10, 1, 10);
    for (int i = 0; i < warmup; ++i) {
      if (auto r = (*session)->run(*feeds); !r.ok()) {
        PrintError(kTool, r.message());
        return kExitFailure;
      }
    }
    std::vector<double> latencies;
    for (int i = 0; i < options.bench; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      auto r = (*session)->run(*feeds);
      latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      if (!r.ok()) {
        PrintError(kTool, r.message());
        return kExitFailure;
      }
    }
    double mean = 0;
    for (double l : latencies) mean += l;
    mean /= static_cast<double>(latencies.size());
    double p50 = Percentile(latencies, 0.5), p90 = Percentile(latencies, 0.9), p99 = Percentile(latencies, 0.99);
    double throughput = mean > 0 ? 1000.0 / mean : 0;
    if (out.json()) {
      JsonWriter json;
      json.beginObject()
          .field("p50_ms", p50)
          .field("p90_ms", p90)
          .field("p99_ms", p99)
          .field("mean_ms", mean)
          .field("throughput_per_s", throughput)
          .field("peak_rss_mb", PeakRssMegabytes())
          .field("runs", options.bench)
          .field("warmup_runs", warmup)
          .endObject();
      out.printJson(json);
    } else {
      out.print("{} runs after {} warm-up: p50 {:.3f} ms  p90 {:.3f} ms  p99 {:.3f} ms  mean {:.3f} ms  "
                 "throughput {:.1f}/s  peak RSS {:.1f} MB\n",
                 options.bench, warmup, p50, p90, p99, mean, throughput, PeakRssMegabytes());
    }
    return kExitOk;
  }

  if (out.json()) {
    JsonWriter json;
    json.beginObject().field("latency_ms", first_ms).key("outputs").beginArray();
    for (size_t i = 0; i < outputs->size(); ++i) {
      const runtime::Tensor& t = (*outputs)[i];
      Summary s = Summarize(t);
      json.beginObject().field("name", specs[i].name).field("type", DataTypeName(t.dtype())).key("shape").beginArray();
      for (int64_t d : t.shape()) json.value(d);
      json.endArray();
      if (s.numeric) json.field("min", s.min).field("max", s.max).field("mean", s.mean);
      json.endObject();
    }
    json.endArray().endObject();
    out.printJson(json);
  } else {
    for (size_t i = 0; i < outputs->size(); ++i) {
      const runtime::Tensor& t = (*outputs)[i];
      Summary s = Summarize(t);
      if (s.numeric)
        out.print("{}: {}  min {:.6g}  max {:.6g}  mean {:.6g}\n", specs[i].name, runtime::DescribeTensor(t), s.min,
                  s.max, s.mean);
      else
        out.print("{}: {}\n", specs[i].name, runtime::DescribeTensor(t));
    }
    out.print("latency {:.3f} ms (first run)\n", first_ms);
  }
  return kExitOk;
}

}  // namespace
}  // namespace onnxkit::tools

int main(int argc, char** argv) {
  using namespace onnxkit::tools;
  return RunTool(kTool, [&]() -> int {
    Options options;
    CLI::App app{"onnx-run: run an ONNX model on the bundled runtime.", std::string(kTool)};
    app.set_version_flag("--version", std::string(Version()));
    app.footer(R"(Inputs not given are filled with seeded random data of the declared type and shape
(floats uniform in [0,1), integers 0 or 1; symbolic dims 1 unless --shape says otherwise).

Examples:
  onnx-run model.onnx                                  random inputs, print output summaries
  onnx-run model.onnx --input x=x.npy --out results/   writes results/output_0.npy, ...
  onnx-run model.onnx --data test_data_set_0           ONNX test-data folder (input_0.pb, ...)
  onnx-run model.onnx --shape x=8,3,224,224 --bench 100 --json
  onnx-run -O3 model.onnx --bench 50 --threads 1      latency with load-time fusions, one thread
  onnx-run -v model.onnx                               also the time of every node, slowest op types first
  onnx-run -q model.onnx --out results/                only the files, nothing on stdout

Exit codes: 0 success, 1 failure (bad model, bad input, kernel error), 2 usage error.)");
    app.add_option("model", options.model, "the .onnx model")->required();
    app.add_option("--input", options.inputs.inputs, "NAME=FILE: an input from a .npy or .pb (TensorProto) file (repeatable)");
    app.add_option("--data", options.inputs.data_folder, "folder with input_<i>.pb (ONNX test-data layout) or NAME.npy files");
    app.add_option("--shape", options.inputs.shapes, "NAME=D0,D1,...: shape of a random input (repeatable)");
    app.add_option("--seed", options.inputs.seed, "seed of the random inputs (default 0)");
    app.add_option("--out", options.out, "write output_<i>.npy files to this folder (created if missing)");
    app.add_option("--save-inputs", options.save_inputs,
                   "write the inputs used (given or random) as NAME.npy files to this folder, e.g. to feed another runtime");
    app.add_option("--threads", options.threads,
                   "threads of the optimized kernels (default 0: the machine's physical cores; reference kernels use one)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("-O,--optimize", options.optimize,
                   "optimize the model in memory first, as onnx-opt -O<level> would (0-3; default 0: run it as given)")
        ->check(CLI::Range(0, 3));
    app.add_flag("--reference-kernels", options.reference_kernels,
                 "run every node on its reference kernel (the golden: slow, machine-independent results)");
    app.add_option("--bench", options.bench, "time N runs after warm-up: p50/p90/p99/mean latency, throughput, peak RSS")
        ->check(CLI::NonNegativeNumber);
    options.console.addFlags(app, "print load and session times, the inputs used, and the time of every node and op type",
                            "print one JSON object (with --bench: p50_ms, p90_ms, p99_ms, mean_ms, throughput_per_s, "
                            "peak_rss_mb)");
    if (int code = ParseCommandLine(app, argc, argv); code >= 0) return code;
    return Run(options);
  });
}
