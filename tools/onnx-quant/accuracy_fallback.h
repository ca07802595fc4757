// Accuracy-aware fallback (the strategy of Intel Neural Compressor and NNCF): quantize, measure
// the drop against FP32 on evaluation data, and while it exceeds the bound return the nodes
// around the worst quantized activation (lowest SQNR) to FP32 — one group at a time, re-checking
// after each — until the bound holds or nothing is left to return.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ir/model.h"
#include "tools/onnx-quant/quant_report.h"

namespace onnxkit::tools {

// Quantizes `model` in place, keeping `fallback_nodes` (node names) in FP32.
using QuantizeFunction = std::function<Status(Model& model, const std::set<std::string>& fallback_nodes)>;

struct FallbackStep {
  std::string tensor;  // the activation whose nodes went back to FP32
  double sqnr_db = 0;
  std::vector<std::string> nodes;
  double drop_after = 0;
};

struct FallbackResult {
  std::vector<FallbackStep> steps;
};

struct QuantizedModel {
  std::unique_ptr<Model> model;
  QuantizationReport report;
  FallbackResult fallback;
};

// A fresh copy of the FP32 model to quantize (loaded and prepared the same way every time).
using ModelFactory = std::function<Result<std::unique_ptr<Model>>()>;

// Unnamed nodes get names (op type and a number) first, in the original and in every quantized
// copy alike, so that any node can be named for the fallback; the output keeps those names.
// Without `max_drop` this quantizes once and reports.
Result<QuantizedModel> QuantizeWithFallback(const ModelFactory& make_model, const QuantizeFunction& quantize,
                                            const SampleSource& samples, std::optional<double> max_drop);

}  // namespace onnxkit::tools
