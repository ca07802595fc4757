#include "tools/onnx-quant/quant_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

namespace onnxkit::tools {
namespace {

std::unordered_set<std::string> ValueNames(const Model& model) {
  std::unordered_set<std::string> names;
  ForEachGraph(const_cast<Graph&>(model.graph()), [&](Graph& graph) {
    for (const Value* value : graph.values()) names.insert(value->name());
  });
  return names;
}

// DequantizeLinear output name -> the FP32 model's tensor its QuantizeLinear quantized, over
// every graph. The quantizer gives the DQ output the tensor's name (its consumers read it), except
// for graph inputs, which keep theirs: whichever of the two names the FP32 model has.
std::unordered_map<std::string, std::string> QuantizedActivations(const Model& quantized, const Model& original) {
  std::unordered_set<std::string> original_names = ValueNames(original);
  std::unordered_map<std::string, std::string> sources;
  ForEachGraph(const_cast<Graph&>(quantized.graph()), [&](Graph& graph) {
    for (const Node* dq : graph.nodes()) {
      if (!dq->is("DequantizeLinear") || !dq->input(0) || !dq->output(0)) continue;
      const Node* q = dq->input(0)->producer();
      if (!q || !q->is("QuantizeLinear") || !q->input(0)) continue;
      for (const std::string& name : {dq->output(0)->name(), q->input(0)->name()}) {
        if (!original_names.count(name)) continue;
        sources.emplace(dq->output(0)->name(), name);
        break;
      }
    }
  });
  return sources;
}

struct NoiseSums {
  double signal = 0;
  double noise = 0;
  uint64_t elements = 0;
};

void Accumulate(NoiseSums& sums, const runtime::Tensor& reference, const runtime::Tensor& candidate) {
  if (reference.shape() != candidate.shape() || reference.dtype() == DataType::kString ||
      candidate.dtype() == DataType::kString)
    return;
  for (int64_t i = 0; i < reference.elementCount(); ++i) {
    double x = reference.elementAsDouble(i);
    double d = x - candidate.elementAsDouble(i);
    if (!std::isfinite(x) || !std::isfinite(d)) continue;
    sums.signal += x * x;
    sums.noise += d * d;
  }
  sums.elements += static_cast<uint64_t>(reference.elementCount());
}

double SqnrDb(const NoiseSums& sums) {
  if (sums.noise == 0) return std::numeric_limits<double>::infinity();
  if (sums.signal == 0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(sums.signal / sums.noise);
}

}  // namespace

double QuantizationReport::drop() const {
  double worst = 1;
  for (const auto& output : outputs) {
    const auto& c = output.comparison;
    worst = std::min(worst, c.top1_agreement ? *c.top1_agreement : c.cosine_similarity);
  }
  return 1 - worst;
}

Result<QuantizationReport> CompareQuantized(const Model& original, const Model& quantized, const SampleSource& samples) {
  ONNXKIT_ASSIGN_OR_RETURN(auto reference_session, runtime::Session::Create(original));
  ONNXKIT_ASSIGN_OR_RETURN(auto quantized_session, runtime::Session::Create(quantized));
  auto sources = QuantizedActivations(quantized, original);
  std::unordered_map<std::string, bool> wanted;
  for (const auto& [dq, source] : sources) wanted[source] = true;

  QuantizationReport report;
  std::map<std::string, NoiseSums> sums;
  std::vector<runtime::TensorComparison> totals;
  Status visited = samples([&](const std::vector<runtime::NamedTensor>& feeds) -> Status {
    std::unordered_map<std::string, runtime::Tensor> references;
    for (const auto& [name, tensor] : feeds)
      if (wanted.count(name)) references[name] = tensor;
    runtime::RunOptions keep;
    keep.observer = [&](const Node& node, std::span<const runtime::Tensor> outputs) {
      for (size_t i = 0; i < outputs.size(); ++i) {
        const Value* value = node.output(i);
        if (value && wanted.count(value->name()) && outputs[i].elementCount() > 0) references[value->name()] = outputs[i];
      }
    };
    ONNXKIT_ASSIGN_OR_RETURN(auto expected, reference_session->run(feeds, keep));
    runtime::RunOptions compare;
    compare.observer = [&](const Node& node, std::span<const runtime::Tensor> outputs) {
      if (!node.is("DequantizeLinear") || outputs.empty() || !node.output(0)) return;
      auto source = sources.find(node.output(0)->name());
      if (source == sources.end()) return;
      auto reference = references.find(source->second);
      if (reference != references.end()) Accumulate(sums[source->second], reference->second, outputs[0]);
    };
    ONNXKIT_ASSIGN_OR_RETURN(auto actual, quantized_session->run(feeds, compare));
    if (expected.size() != actual.size()) return Status::Error("the quantized model has a different number of outputs");
    for (size_t i = 0; i < expected.size(); ++i) {
      auto comparison = runtime::CompareTensors(expected[i], actual[i], runtime::Tolerance{});
      if (report.samples == 0) totals.push_back(comparison);
      else runtime::MergeComparison(totals[i], comparison);
    }
    ++report.samples;
    return Status::Ok();
  });
  ONNXKIT_RETURN_IF_ERROR(visited);
  for (const auto& [name, s] : sums) report.tensors.push_back({name, SqnrDb(s), s.elements});
  std::stable_sort(report.tensors.begin(), report.tensors.end(),
                   [](const TensorNoise& a, const TensorNoise& b) { return a.sqnr_db < b.sqnr_db; });
  const auto& specs = reference_session->outputs();
  for (size_t i = 0; i < totals.size(); ++i) report.outputs.push_back({i < specs.size() ? specs[i].name : "", totals[i]});
  return report;
}

std::string FormatReport(const QuantizationReport& report, size_t rows) {
  std::string out = fmt::format("quantized activations, worst first (SQNR over {} samples; below ~20 dB deserves a look):\n",
                                report.samples);
  out += fmt::format("  {:<48} {:>10}\n", "tensor", "SQNR dB");
  for (size_t i = 0; i < report.tensors.size() && i < rows; ++i)
    out += fmt::format("  {:<48} {:>10.2f}\n", report.tensors[i].name, report.tensors[i].sqnr_db);
  if (report.tensors.size() > rows) out += fmt::format("  ... {} more in --report\n", report.tensors.size() - rows);
  out += "outputs against FP32:\n";
  for (const auto& output : report.outputs) {
    const auto& c = output.comparison;
    out += fmt::format("  {:<32} cosine {:.6f}  max abs error {:.4g}", output.name, c.cosine_similarity, c.max_absolute_error);
    if (c.top1_agreement) out += fmt::format("  top-1 agreement {:.2f}%", 100 * *c.top1_agreement);
    out += "\n";
  }
  return out;
}

}  // namespace onnxkit::tools
