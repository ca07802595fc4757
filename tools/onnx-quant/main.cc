// onnx-quant: INT8 quantization. Static (calibrated on sample data, QDQ or QOperator format) or
// dynamic; a report of what quantization cost (SQNR per activation, output agreement), and an
// accuracy-aware fallback that returns the worst nodes to FP32 until a bound holds.
//
//   onnx-quant [options] IN OUT
//   onnx-quant merge A.pb B.pb ... -o ALL.pb
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "ir/atomic_file.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/quant/calibration/calibration_data.h"
#include "passes/quant/calibration/calibration_methods.h"
#include "passes/quant/calibration/calibration_table_io.h"
#include "passes/quant/calibration/calibrator.h"
#include "passes/quant/qoperator_lowering.h"
#include "passes/quant/quantize_dynamic.h"
#include "passes/quant/quantize_static.h"
#include "passes/registry.h"
#include "runtime/sample_data.h"
#include "tools/common/json.h"
#include "tools/common/model_files.h"
#include "tools/common/output.h"
#include "tools/common/progress.h"
#include "tools/common/tool_main.h"
#include "tools/onnx-quant/accuracy_fallback.h"
#include "tools/onnx-quant/quant_report.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-quant";

struct Options {
  std::string input, output;
  std::string mode;  // "" = static when calibration is given
  std::string calib_dir, calib_table, save_calib_table;
  std::string method = "minmax";
  double percentile = 99.999;
  bool moving_average = false;
  bool per_tensor = false;
  std::string format = "qdq";
  // uint8 activations: ONNX Runtime's x86 CPU kernels fuse every QDQ unit of a CNN with them (int8
  // activations leave residual Adds and the Convs feeding them in float: 2.8x vs 1.1x over FP32
  // on ResNet-50, docs/quantization.md), at the same accuracy on our fixtures.
  std::string activation_type = "uint8", weight_type = "int8";
  bool symmetric_activations = false;
  bool reduce_range = false;
  std::string op_types, exclude_nodes, exclude_op_types;
  uint64_t samples = 0;
  std::string report_file;
  std::string eval_dir;
  double max_drop = -1;
  bool optimize = true;
  ToolOutput console{kTool};
};

// The FP32 model as it is quantized: loaded, verified and optimized at -O2 first (BatchNorm folded
// into Conv, constants folded, ...: fewer and better-conditioned tensors to quantize).
Result<std::unique_ptr<Model>> PrepareModel(const std::string& path, bool optimize) {
  ONNXKIT_ASSIGN_OR_RETURN(auto model, LoadModelWithProgress(path));
  if (Status valid = VerifyModel(*model); !valid.ok()) return Status::Error("{}: invalid model: {}", path, valid.message());
  if (!optimize) return model;
  PassManager manager;
  for (const auto& group : PipelineForLevel(2)) ONNXKIT_RETURN_IF_ERROR(manager.addGroup(group));
  auto rewrites = manager.run(*model);
  if (!rewrites.ok()) return Status::Error("{}: optimizing before quantization: {}", path, rewrites.message());
  return model;
}

std::set<std::string> SplitSet(const std::string& list) {
  std::set<std::string> items;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) items.insert(item);
  return items;
}

quant::QuantType ParseQuantType(const std::string& name) {
  return name == "uint8" ? quant::QuantType::kUint8 : quant::QuantType::kInt8;
}

// Samples for the report and the fallback: the folder's, or 4 seeded random ones. Each pass over
// them (one per fallback step) says so under --verbose, sample by sample.
SampleSource SamplesFrom(const Model& model, const std::string& folder, uint64_t max_samples, const ToolOutput& out) {
  auto passes = std::make_shared<int>(0);
  return [&model, &out, folder, max_samples, passes](
             const std::function<Status(const std::vector<runtime::NamedTensor>&)>& visit) -> Status {
    ++*passes;
    uint64_t visited = 0;
    auto visit_logged = [&](const std::vector<runtime::NamedTensor>& sample, std::string_view name) {
      out.detail("comparing with FP32 (pass {}): sample {} {}", *passes, ++visited, name);
      return visit(sample);
    };
    ONNXKIT_ASSIGN_OR_RETURN(auto session, runtime::Session::Create(model));
    if (folder.empty()) {
      for (uint64_t seed = 0; seed < 4; ++seed) {
        ONNXKIT_ASSIGN_OR_RETURN(auto feeds, runtime::CompleteWithRandomInputs(session->inputs(), {}, {}, seed));
        ONNXKIT_RETURN_IF_ERROR(visit_logged(feeds, fmt::format("(random, seed {})", seed)));
      }
      return Status::Ok();
    }
    quant::CalibrationDataOptions options;
    options.max_samples = max_samples;
    ONNXKIT_ASSIGN_OR_RETURN(auto data, quant::CalibrationData::Open(folder, session->inputs(), options));
    return data.forEach([&](const std::vector<runtime::NamedTensor>& sample, const std::string& name) {
      return visit_logged(sample, name);
    });
  };
}

Result<quant::CalibrationTable> ObtainCalibration(const Model& model, const Options& options) {
  if (!options.calib_table.empty()) return quant::LoadCalibrationTable(options.calib_table);
  quant::CalibrateOptions calibrate;
  calibrate.max_samples = options.samples;
  calibrate.method = options.method;
  calibrate.percentile = options.percentile;
  calibrate.model_name = std::filesystem::path(options.input).filename().string();
  const ToolOutput& out = options.console;
  // --verbose prints a line per sample instead of the bar.
  std::optional<ProgressBar> progress;
  if (!out.verbose()) progress.emplace("calibrating");
  calibrate.progress = [&](uint64_t done, uint64_t total) {
    if (progress) progress->update(done, total);
    else if (total) out.detail("calibration sample {}/{}", done, total);
    else out.detail("calibration sample {}", done);
  };
  return quant::Calibrate(model, options.calib_dir, calibrate);
}

quant::StaticOptions StaticOptionsFrom(const Options& options) {
  quant::StaticOptions s;
  s.per_channel = !options.per_tensor;
  s.activation_type = ParseQuantType(options.activation_type);
  s.weight_type = ParseQuantType(options.weight_type);
  s.symmetric_activations = options.symmetric_activations;
  s.reduce_range = options.reduce_range;
  if (!options.op_types.empty()) s.op_types = SplitSet(options.op_types);
  s.exclude_nodes = SplitSet(options.exclude_nodes);
  s.exclude_op_types = SplitSet(options.exclude_op_types);
  return s;
}

quant::DynamicOptions DynamicOptionsFrom(const Options& options) {
  quant::DynamicOptions d;
  d.per_channel = !options.per_tensor;
  d.weight_type = ParseQuantType(options.weight_type);
  d.reduce_range = options.reduce_range;
  if (!options.op_types.empty()) d.op_types = SplitSet(options.op_types);
  d.exclude_nodes = SplitSet(options.exclude_nodes);
  return d;
}

void WriteReportJson(const Options& options, const QuantizationReport& report, const FallbackResult& fallback,
                     uint64_t bytes_before, uint64_t bytes_after, JsonWriter& json) {
  json.beginObject();
  json.field("input", options.input).field("output", options.output).field("mode", options.mode);
  if (options.mode == "static") json.field("format", options.format).field("method", options.method);
  json.key("samples").value(static_cast<double>(report.samples));
  json.key("model_bytes_before").value(static_cast<double>(bytes_before));
  json.key("model_bytes_after").value(static_cast<double>(bytes_after));
  json.key("size_ratio").value(bytes_before ? static_cast<double>(bytes_after) / static_cast<double>(bytes_before) : 0.0);
  json.key("tensors").beginArray();
  for (const auto& tensor : report.tensors) {
    json.beginObject().key("name").value(tensor.name);
    json.key("sqnr_db").value(std::isfinite(tensor.sqnr_db) ? tensor.sqnr_db : (tensor.sqnr_db > 0 ? 999.0 : -999.0));
    json.key("elements").value(static_cast<double>(tensor.elements)).endObject();
  }
  json.endArray();
  json.key("outputs").beginArray();
  for (const auto& output : report.outputs) {
    json.beginObject().key("name").value(output.name);
    json.key("cosine").value(output.comparison.cosine_similarity);
    json.key("max_abs_error").value(output.comparison.max_absolute_error);
    if (output.comparison.top1_agreement) json.key("top1_agreement").value(*output.comparison.top1_agreement);
    json.endObject();
  }
  json.endArray();
  json.key("drop").value(report.drop());
  json.key("fallback_nodes").beginArray();
  for (const auto& step : fallback.steps) {
    json.beginObject().key("tensor").value(step.tensor).key("sqnr_db").value(step.sqnr_db);
    json.key("drop_after").value(step.drop_after).key("nodes").beginArray();
    for (const auto& node : step.nodes) json.value(node);
    json.endArray().endObject();
  }
  json.endArray();
  json.endObject();
}

int Quantize(Options options) {
  const ToolOutput& out = options.console;
  Stopwatch phase;
  if (options.mode.empty()) options.mode = (options.calib_dir.empty() && options.calib_table.empty()) ? "" : "static";
  if (options.mode.empty()) {
    PrintError(kTool, "static quantization needs --calib DIR or --calib-table FILE (or use --mode dynamic)");
    return kExitUsage;
  }
  if (options.mode == "static" && options.calib_dir.empty() && options.calib_table.empty()) {
    PrintError(kTool, "--mode static needs --calib DIR or --calib-table FILE");
    return kExitUsage;
  }
  if (options.max_drop >= 0 && options.eval_dir.empty()) {
    PrintError(kTool, "--max-drop needs --eval DIR");
    return kExitUsage;
  }
  ModelFactory make_model = [&options]() { return PrepareModel(options.input, options.optimize); };
  auto model = make_model();
  if (!model.ok()) {
    PrintError(kTool, model.message());
    return kExitFailure;
  }
  uint64_t bytes_before = std::filesystem::file_size(options.input);
  out.detail("load{} {}: {:.1f} ms", options.optimize ? " and optimize (-O2)" : "", options.input, phase.milliseconds());

  QuantizeFunction quantize;
  if (options.mode == "static") {
    phase.restart();
    auto table = ObtainCalibration(**model, options);
    if (!table.ok()) {
      PrintError(kTool, table.message());
      return kExitFailure;
    }
    out.detail("calibration{} ({} samples, {} tensors): {:.1f} ms",
               options.calib_table.empty() ? "" : " table " + options.calib_table, table->sample_count,
               table->tensors.size(), phase.milliseconds());
    if (!options.save_calib_table.empty()) {
      if (Status saved = quant::SaveCalibrationTable(*table, options.save_calib_table); !saved.ok()) {
        PrintError(kTool, saved.message());
        return kExitFailure;
      }
    }
    auto method = quant::ParseCalibrationMethod(options.method);
    if (!method.ok()) {
      PrintError(kTool, method.message());
      return kExitUsage;
    }
    quant::RangeOptions range_options;
    range_options.symmetric = options.symmetric_activations;
    range_options.moving_average = options.moving_average;
    range_options.percentile = options.percentile;
    quant::RangeTable ranges = quant::ComputeRanges(*table, *method, range_options);
    quant::StaticOptions static_options = StaticOptionsFrom(options);
    bool qoperator = options.format == "qoperator";
    quantize = [ranges, static_options, qoperator](Model& m, const std::set<std::string>& fallback_nodes) -> Status {
      quant::StaticOptions o = static_options;
      o.exclude_nodes.insert(fallback_nodes.begin(), fallback_nodes.end());
      ONNXKIT_RETURN_IF_ERROR(quant::QuantizeStatic(m, ranges, o));
      if (qoperator) ONNXKIT_RETURN_IF_ERROR(quant::LowerToQOperator(m));
      return Status::Ok();
    };
  } else {
    quant::DynamicOptions dynamic_options = DynamicOptionsFrom(options);
    quantize = [dynamic_options](Model& m, const std::set<std::string>& fallback_nodes) -> Status {
      quant::DynamicOptions o = dynamic_options;
      o.exclude_nodes.insert(fallback_nodes.begin(), fallback_nodes.end());
      return quant::QuantizeDynamic(m, o);
    };
  }

  // The report and the fallback compare against FP32 on the evaluation data, else the calibration
  // data, else seeded random inputs (QDQ only: QOperator has no DequantizeLinear to observe).
  std::string report_data = !options.eval_dir.empty() ? options.eval_dir : options.calib_dir;
  SampleSource samples = SamplesFrom(**model, report_data, options.samples, out);
  phase.restart();
  auto result = QuantizeWithFallback(make_model, quantize, samples,
                                     options.max_drop >= 0 ? std::optional<double>(options.max_drop) : std::nullopt);
  if (!result.ok()) {
    PrintError(kTool, fmt::format("{}: {}", options.input, result.message()));
    return kExitFailure;
  }
  out.detail("quantize and compare with FP32 ({} fallback step(s)): {:.1f} ms", result->fallback.steps.size(),
             phase.milliseconds());
  phase.restart();
  auto saved = SaveModelWithProgress(*result->model, options.output);
  if (!saved.ok()) {
    PrintError(kTool, saved.message());
    return kExitFailure;
  }
  uint64_t bytes_after = std::filesystem::file_size(options.output);
  out.detail("save {}: {:.1f} ms", options.output, phase.milliseconds());
  out.printText(FormatReport(result->report, 10));
  out.print("model size: {} -> {} bytes ({:.1f}%)\n", bytes_before, bytes_after,
            100.0 * static_cast<double>(bytes_after) / static_cast<double>(bytes_before));
  for (const auto& step : result->fallback.steps)
    out.print("fell back to FP32: {} (tensor {}, SQNR {:.1f} dB) -> drop {:.4f}\n", fmt::join(step.nodes, ", "),
              step.tensor, step.sqnr_db, step.drop_after);
  if (!options.report_file.empty() || out.json()) {
    JsonWriter json;
    WriteReportJson(options, result->report, result->fallback, bytes_before, bytes_after, json);
    if (!options.report_file.empty()) {
      if (Status written = WriteFileAtomically(options.report_file, json.str() + "\n"); !written.ok()) {
        PrintError(kTool, written.message());
        return kExitFailure;
      }
    }
    if (out.json()) out.printJson(json);
  }
  if (options.max_drop >= 0 && result->report.drop() > options.max_drop) {
    PrintError(kTool, fmt::format("{}: the drop {:.4f} stays above --max-drop {} even with every candidate node in FP32 "
                                  "(the model was written)",
                                  options.input, result->report.drop(), options.max_drop));
    return kExitFailure;
  }
  return kExitOk;
}

int Merge(int argc, char** argv) {
  std::vector<std::string> inputs;
  std::string output;
  ToolOutput out(kTool);
  CLI::App app{"onnx-quant merge: combine calibration tables (histograms and ranges merge exactly).", "onnx-quant merge"};
  app.add_option("tables", inputs, "calibration tables (.pb) written by --save-calib-table")->required();
  app.add_option("-o,--output", output, "the merged table (written atomically)")->required();
  out.addFlags(app, "print each table's samples and tensors", "print one JSON object (tables, samples, tensors, output)");
  if (int parsed = ParseCommandLine(app, argc, argv); parsed >= 0) return parsed;
  std::vector<quant::CalibrationTable> tables;
  for (const auto& path : inputs) {
    auto table = quant::LoadCalibrationTable(path);
    if (!table.ok()) {
      PrintError(kTool, table.message());
      return kExitFailure;
    }
    out.detail("{}: {} samples, {} tensors", path, table->sample_count, table->tensors.size());
    tables.push_back(std::move(table).value());
  }
  auto merged = quant::MergeCalibrationTables(tables);
  if (!merged.ok()) {
    PrintError(kTool, merged.message());
    return kExitFailure;
  }
  if (Status saved = quant::SaveCalibrationTable(*merged, output); !saved.ok()) {
    PrintError(kTool, saved.message());
    return kExitFailure;
  }
  if (out.json()) {
    JsonWriter json;
    json.beginObject()
        .field("tables", static_cast<uint64_t>(tables.size()))
        .field("samples", static_cast<uint64_t>(merged->sample_count))
        .field("tensors", static_cast<uint64_t>(merged->tensors.size()))
        .field("output", output)
        .endObject();
    out.printJson(json);
  }
  out.print("merged {} tables: {} samples, {} tensors -> {}\n", tables.size(), merged->sample_count,
            merged->tensors.size(), output);
  return kExitOk;
}

}  // namespace
}  // namespace onnxkit::tools

int main(int argc, char** argv) {
  using namespace onnxkit::tools;
  return RunTool(kTool, [&]() -> int {
    if (argc >= 2 && std::string_view(argv[1]) == "merge") return Merge(argc - 1, argv + 1);
    Options options;
    CLI::App app{"onnx-quant: INT8 quantization of an ONNX model (static with calibration data, or dynamic).",
                 std::string(kTool)};
    app.set_version_flag("--version", std::string(Version()));
    app.footer(R"(Static quantization calibrates activation ranges on sample data (--calib DIR: a folder per
sample with NAME.npy or input_<i>.pb, an .npz per sample, or .npy files for one-input models where
a leading batch dim counts as that many samples) and writes QuantizeLinear/DequantizeLinear pairs
(QDQ, default) or QLinear* ops (--format qoperator). Dynamic quantization stores int8 weights and
quantizes activations at run time (DynamicQuantizeLinear + MatMulInteger). After quantizing, a
table compares the result with FP32 on the data (SQNR of each quantized activation, worst first;
cosine and top-1 agreement of the outputs). With --eval DIR --max-drop X, the nodes around the
worst activations return to FP32 one at a time until 1 - agreement <= X.

Examples:
  onnx-quant --calib data/ model.onnx model.int8.onnx
  onnx-quant --calib data/ --method entropy --report report.json model.onnx model.int8.onnx
  onnx-quant --mode dynamic bert.onnx bert.int8.onnx
  onnx-quant --calib part1/ --save-calib-table part1.pb model.onnx /tmp/unused.onnx
  onnx-quant merge part1.pb part2.pb -o all.pb
  onnx-quant --calib-table all.pb model.onnx model.int8.onnx
  onnx-quant --calib data/ --eval val/ --max-drop 0.01 model.onnx model.int8.onnx
  onnx-quant --mode dynamic --json bert.onnx bert.int8.onnx > report.json
  onnx-quant -v --calib data/ model.onnx model.int8.onnx    a line per sample and phase times (stderr)

Exit codes: 0 success, 1 failure (bad model or data, accuracy bound not met, cannot write), 2 usage error.)");
    app.add_option("input", options.input, "input .onnx model (FP32)")->required();
    app.add_option("output", options.output, "output .onnx model (written atomically)")->required();
    app.add_option("--mode", options.mode, "static (needs calibration) or dynamic")->check(CLI::IsMember({"static", "dynamic"}));
    app.add_option("--calib", options.calib_dir, "folder of calibration samples (implies --mode static)");
    app.add_option("--method", options.method, "calibration method: minmax (default), entropy, percentile, mse")
        ->check(CLI::IsMember({"minmax", "entropy", "percentile", "mse"}));
    app.add_option("--percentile", options.percentile, "percentile of --method percentile (default 99.999)")
        ->check(CLI::Range(50.0, 100.0));
    app.add_flag("--moving-average", options.moving_average, "minmax: moving average of per-sample ranges (constant 0.01)");
    bool per_channel_flag = false;
    auto* per_channel = app.add_flag("--per-channel", per_channel_flag,
                                     "one scale per output channel for Conv/Gemm/MatMul weights (default)");
    app.add_flag("--per-tensor", options.per_tensor, "one scale per weight tensor")->excludes(per_channel);
    app.add_option("--format", options.format, "qdq (default) or qoperator")->check(CLI::IsMember({"qdq", "qoperator"}));
    app.add_option("--activation-type", options.activation_type, "uint8 (default: fastest in ONNX Runtime on x86) or int8")
        ->check(CLI::IsMember({"int8", "uint8"}));
    app.add_option("--weight-type", options.weight_type, "int8 (default) or uint8")->check(CLI::IsMember({"int8", "uint8"}));
    app.add_flag("--symmetric-activations", options.symmetric_activations, "zero point 0 (128 for uint8) for activations");
    app.add_flag("--reduce-range", options.reduce_range, "7-bit weights (for CPUs without VNNI)");
    app.add_option("--op-types", options.op_types, "comma-separated op types to quantize (default: all supported)");
    app.add_option("--exclude-nodes", options.exclude_nodes, "comma-separated node names to keep in FP32");
    app.add_option("--exclude-op-types", options.exclude_op_types, "comma-separated op types to keep in FP32");
    app.add_option("--samples", options.samples, "use at most N samples of the data");
    app.add_option("--calib-table", options.calib_table, "use this calibration table instead of calibrating");
    app.add_option("--save-calib-table", options.save_calib_table, "write the calibration table (for reuse or merging)");
    app.add_option("--report", options.report_file, "write the report as JSON");
    app.add_option("--eval", options.eval_dir, "folder of evaluation samples for the report and --max-drop");
    app.add_option("--max-drop", options.max_drop, "return nodes to FP32 until 1 - output agreement <= X")
        ->check(CLI::Range(0.0, 1.0));
    options.console.addFlags(app, "print the time of each phase and a line per calibration and comparison sample",
                            "print the quantization report (the --report document) as one JSON object instead of "
                            "the tables");
    app.add_flag("!--no-optimize", options.optimize, "quantize the model as it is, without the -O2 optimization first");
    if (int parsed = ParseCommandLine(app, argc, argv); parsed >= 0) return parsed;
    return Quantize(options);
  });
}
