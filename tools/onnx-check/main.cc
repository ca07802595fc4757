// onnx-check: runs two models on the same inputs and says whether their outputs agree — the step a
// deployment pipeline runs after onnx-opt or onnx-quant.
#include <fmt/format.h>

#include <map>
#include <set>

#include "ir/verifier.h"
#include "runtime/model_compare.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"
#include "tools/common/json.h"
#include "tools/common/model_files.h"
#include "tools/common/model_inputs.h"
#include "tools/common/output.h"
#include "tools/common/tool_main.h"

namespace onnxkit::tools {
namespace {

constexpr std::string_view kTool = "onnx-check";

struct Options {
  std::string reference;
  std::string candidate;
  std::string data;
  int samples = 1;
  runtime::Tolerance tolerance;
  bool layerwise = false;
  std::vector<std::string> shapes;
  uint64_t seed = 0;
  ToolOutput console{kTool};
};

struct LoadedModel {
  std::string path;
  std::unique_ptr<Model> model;
  std::unique_ptr<runtime::Session> session;
};

Result<LoadedModel> Load(const std::string& path) {
  LoadedModel loaded;
  loaded.path = path;
  ONNXKIT_ASSIGN_OR_RETURN(loaded.model, LoadModelWithProgress(path));
  if (Status valid = VerifyModel(*loaded.model); !valid.ok())
    return Status::Error("{}: invalid model: {}", path, valid.message());
  auto session = runtime::Session::Create(*loaded.model);
  if (!session.ok()) return session.status().WithContext(path);
  loaded.session = std::move(session).value();
  return loaded;
}

// The first node of the candidate whose output differs from the same-named reference tensor.
struct Divergence {
  std::string node;
  std::string op_type;
  std::string tensor;
  runtime::TensorComparison comparison;
};

struct LayerwiseReport {
  int64_t compared = 0;
  int64_t diverged = 0;
  std::optional<Divergence> first;
};

Result<LayerwiseReport> CompareLayerwise(LoadedModel& reference, LoadedModel& candidate,
                                         const std::vector<runtime::NamedTensor>& feeds, const runtime::Tolerance& tolerance) {
  // Tensor names the candidate produces: only those are kept from the reference run.
  std::set<std::string> wanted;
  ForEachGraph(candidate.model->graph(), [&](Graph& graph) {
    for (const Node* node : graph.nodes())
      for (const Value* output : node->outputs())
        if (output) wanted.insert(output->name());
  });
  // Main-graph nodes only: a subgraph node runs once per iteration or branch taken, so its
  // tensors have no single value to compare.
  std::map<std::string, runtime::Tensor> kept;
  runtime::RunOptions record;
  record.observer = [&](const Node& node, std::span<const runtime::Tensor> outputs) {
    if (node.owner()->parent()) return;
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Value* value = node.output(i);
      if (value && outputs[i].defined() && wanted.count(value->name())) kept[value->name()] = outputs[i];
    }
  };
  auto reference_outputs = reference.session->run(feeds, record);
  if (!reference_outputs.ok()) return reference_outputs.status().WithContext(reference.path);

  LayerwiseReport report;
  runtime::RunOptions compare;
  compare.observer = [&](const Node& node, std::span<const runtime::Tensor> outputs) {
    if (node.owner()->parent()) return;
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Value* value = node.output(i);
      if (!value || !outputs[i].defined()) continue;
      auto it = kept.find(value->name());
      if (it == kept.end()) continue;
      runtime::TensorComparison comparison = runtime::CompareTensors(it->second, outputs[i], tolerance);
      ++report.compared;
      if (!comparison.within_tolerance) {
        ++report.diverged;
        if (!report.first) report.first = Divergence{node.name(), node.opType(), value->name(), comparison};
      }
      kept.erase(it);  // compared once; frees the reference tensor
    }
  };
  auto candidate_outputs = candidate.session->run(feeds, compare);
  if (!candidate_outputs.ok()) return candidate_outputs.status().WithContext(candidate.path);
  return report;
}

std::string Percent(std::optional<double> fraction) {
  return fraction ? fmt::format("{:.1f}%", *fraction * 100) : std::string("-");
}

std::string DescribeSpec(const runtime::ValueSpec& spec) {
  std::string dims;
  for (size_t i = 0; i < spec.dims.size(); ++i)
    dims += (i ? "," : "") + (spec.dims[i] >= 0 ? std::to_string(spec.dims[i])
                                                : (spec.dim_names[i].empty() ? "?" : spec.dim_names[i]));
  return fmt::format("{}{}", DataTypeName(spec.type), spec.has_shape ? "[" + dims + "]" : "");
}

// --verbose: each output's comparison on each sample.
void PrintSampleDetail(const ToolOutput& out, const std::vector<runtime::ValueSpec>& specs, size_t sample,
                       const std::vector<runtime::TensorComparison>& outputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto& t = outputs[i];
    std::string top1 = t.top1_agreement ? fmt::format("  top1 {} of {} rows", Percent(t.top1_agreement), t.top1_rows) : "";
    out.detail("sample {} output '{}': max abs {:.4g}  max rel {:.4g}  cosine {:.6f}  beyond tolerance {}  new "
               "nan/inf {}{}  {}",
               sample, i < specs.size() ? specs[i].name : "?", t.max_absolute_error, t.max_relative_error,
               t.cosine_similarity, t.elements_beyond_tolerance, t.new_non_finite, top1,
               t.within_tolerance ? "ok" : (t.problem.empty() ? "FAIL" : "FAIL: " + t.problem));
  }
}

int Run(const Options& options) {
  const ToolOutput& out = options.console;
  Stopwatch phase;
  auto reference = Load(options.reference);
  if (!reference.ok()) {
    PrintError(kTool, reference.message());
    return kExitFailure;
  }
  auto candidate = Load(options.candidate);
  if (!candidate.ok()) {
    PrintError(kTool, candidate.message());
    return kExitFailure;
  }
  out.detail("load {} and {}: {:.1f} ms", options.reference, options.candidate, phase.milliseconds());
  const auto& reference_outputs = reference->session->outputs();
  for (size_t i = 0; i < reference_outputs.size(); ++i)
    out.detail("output '{}': reference {}, candidate {}", reference_outputs[i].name, DescribeSpec(reference_outputs[i]),
               i < candidate->session->outputs().size() ? DescribeSpec(candidate->session->outputs()[i]) : "missing");
  auto shapes = ParseShapes(options.shapes);
  if (!shapes.ok()) {
    PrintError(kTool, shapes.message());
    return kExitUsage;
  }
  auto samples = runtime::LoadSamples(reference->session->inputs(), options.data, options.samples, *shapes, options.seed);
  if (!samples.ok()) {
    PrintError(kTool, samples.message());
    return kExitFailure;
  }
  out.detail("{} sample(s) from {}", samples->size(), options.data.empty() ? "seeded random inputs" : options.data);
  phase.restart();
  runtime::SampleComparisonObserver on_sample;
  if (out.verbose())
    on_sample = [&](size_t sample, const std::vector<runtime::TensorComparison>& outputs) {
      PrintSampleDetail(out, reference_outputs, sample, outputs);
    };
  auto comparison = runtime::CompareModels(*reference->session, *candidate->session, *samples, options.tolerance,
                                           options.reference, options.candidate, on_sample);
  if (!comparison.ok()) {
    PrintError(kTool, comparison.message());
    return kExitFailure;
  }
  const std::vector<runtime::TensorComparison>& totals = comparison->outputs;
  bool passed = comparison->passed();
  out.detail("both models on {} sample(s): {:.1f} ms", comparison->samples, phase.milliseconds());

  std::optional<LayerwiseReport> layerwise;
  if (options.layerwise) {
    auto report = CompareLayerwise(*reference, *candidate, samples->front(), options.tolerance);
    if (!report.ok()) {
      PrintError(kTool, report.message());
      return kExitFailure;
    }
    layerwise = std::move(report).value();
  }

  if (out.json()) {
    JsonWriter json;
    json.beginObject().field("passed", passed).field("samples", comparison->samples);
    json.field("rtol", options.tolerance.relative).field("atol", options.tolerance.absolute);
    json.key("outputs").beginArray();
    for (size_t i = 0; i < totals.size(); ++i) {
      const auto& t = totals[i];
      json.beginObject()
          .field("name", reference_outputs[i].name)
          .field("passed", t.within_tolerance)
          .field("max_abs_error", t.max_absolute_error)
          .field("max_rel_error", t.max_relative_error)
          .field("cosine", t.cosine_similarity)
          .field("elements_beyond_tolerance", t.elements_beyond_tolerance)
          .field("new_nan_or_inf", t.new_non_finite);
      json.key("top1_agreement");
      if (t.top1_agreement) json.value(*t.top1_agreement);
      else json.nullValue();
      if (!t.problem.empty()) json.field("problem", t.problem);
      json.endObject();
    }
    json.endArray();
    if (layerwise) {
      json.key("layerwise").beginObject().field("compared", layerwise->compared).field("diverged", layerwise->diverged);
      json.key("first_divergence");
      if (layerwise->first) {
        json.beginObject()
            .field("node", layerwise->first->node)
            .field("op_type", layerwise->first->op_type)
            .field("tensor", layerwise->first->tensor)
            .field("max_abs_error", layerwise->first->comparison.max_absolute_error)
            .field("cosine", layerwise->first->comparison.cosine_similarity)
            .endObject();
      } else {
        json.nullValue();
      }
      json.endObject();
    }
    json.endObject();
    out.printJson(json);
  } else if (out.human()) {
    size_t width = 6;
    for (const auto& spec : reference_outputs) width = std::max(width, spec.name.size());
    fmt::print("{:<{}}  {:>11}  {:>11}  {:>10}  {:>6}  {:>9}  {}\n", "output", width, "max_abs", "max_rel", "cosine",
               "top1", "nan/inf", "status");
    for (size_t i = 0; i < totals.size(); ++i) {
      const auto& t = totals[i];
      std::string status = t.within_tolerance ? "ok" : (!t.problem.empty() ? "FAIL: " + t.problem
                                                                          : fmt::format("FAIL: {} elements beyond tolerance",
                                                                                        t.elements_beyond_tolerance));
      fmt::print("{:<{}}  {:>11.4g}  {:>11.4g}  {:>10.6f}  {:>6}  {:>9}  {}\n", reference_outputs[i].name, width,
                 t.max_absolute_error, t.max_relative_error, t.cosine_similarity, Percent(t.top1_agreement),
                 t.new_non_finite, status);
    }
    fmt::print("{} sample(s), rtol {:g}, atol {:g}: {}\n", comparison->samples, options.tolerance.relative,
               options.tolerance.absolute, passed ? "outputs agree" : "outputs DIFFER");
    if (layerwise) {
      fmt::print("layerwise: {} shared tensors compared, {} beyond tolerance\n", layerwise->compared, layerwise->diverged);
      if (layerwise->first)
        fmt::print("first divergence: node '{}' ({}) output '{}': max abs error {:.4g}, cosine {:.6f}\n",
                   layerwise->first->node, layerwise->first->op_type, layerwise->first->tensor,
                   layerwise->first->comparison.max_absolute_error, layerwise->first->comparison.cosine_similarity);
    }
  }
  return passed ? kExitOk : kExitFailure;
}

}  // namespace
}  // namespace onnxkit::tools

int main(int argc, char** argv) {
  using namespace onnxkit::tools;
  return RunTool(kTool, [&]() -> int {
    Options options;
    CLI::App app{"onnx-check: run two models on the same inputs and compare their outputs.", std::string(kTool)};
    app.set_version_flag("--version", std::string(Version()));
    app.footer(R"(An element agrees when |candidate - reference| <= atol + rtol * |reference|.

Examples:
  onnx-check model.onnx model.opt.onnx                   one seeded random sample
  onnx-check model.onnx model.opt.onnx --samples 10 --json
  onnx-check model.onnx model.int8.onnx --data calib/ --rtol 0.1 --atol 0.05
  onnx-check model.onnx model.opt.onnx --layerwise       name the first node that diverges
  onnx-check -q model.onnx model.opt.onnx                only the exit code says whether they agree
  onnx-check -v model.onnx model.opt.onnx --samples 3    every output on every sample (stderr)

Exit codes: 0 outputs agree, 1 they differ (or a model cannot run), 2 usage error.)");
    app.add_option("reference", options.reference, "the reference model (e.g. the original)")->required();
    app.add_option("candidate", options.candidate, "the model to check (e.g. optimized or quantized)")->required();
    auto* data = app.add_option("--data", options.data, "samples: a folder of test_data_set_*/ folders, or one sample folder");
    app.add_option("--samples", options.samples, "number of seeded random samples (default 1)")
        ->check(CLI::PositiveNumber)
        ->excludes(data);
    app.add_option("--rtol", options.tolerance.relative, "relative tolerance (default 1e-4)")->check(CLI::NonNegativeNumber);
    app.add_option("--atol", options.tolerance.absolute, "absolute tolerance (default 1e-5)")->check(CLI::NonNegativeNumber);
    app.add_option("--shape", options.shapes, "NAME=D0,D1,...: shape of a random input (repeatable)");
    app.add_option("--seed", options.seed, "seed of the first random sample (default 0)");
    app.add_flag("--layerwise", options.layerwise, "compare every intermediate tensor both models have, name the first divergence");
    options.console.addFlags(app, "print each output's declared types and its comparison on every sample",
                            "print one JSON object");
    if (int code = ParseCommandLine(app, argc, argv); code >= 0) return code;
    return Run(options);
  });
}
