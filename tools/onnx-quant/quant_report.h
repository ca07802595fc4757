// How much quantization changed a model, measured on samples: the signal-to-quantization-noise
// ratio (SQNR) of every quantized activation — the FP32 tensor T against the DequantizeLinear
// output of T's QuantizeLinear in the quantized model, as ONNX Runtime's qdq_loss_debug does —
// and the agreement of the final outputs (cosine similarity, top-1 agreement for class scores).
// Streaming: one sample's reference activations are held at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ir/model.h"
#include "ir/status.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"

namespace onnxkit::tools {

struct TensorNoise {
  std::string name;
  double sqnr_db = 0;  // 10 log10(sum x^2 / sum (x - xq)^2); +inf when identical
  uint64_t elements = 0;
};

struct OutputAgreement {
  std::string name;
  runtime::TensorComparison comparison;  // pooled over the samples
};

struct QuantizationReport {
  uint64_t samples = 0;
  std::vector<TensorNoise> tensors;  // worst (lowest SQNR) first
  std::vector<OutputAgreement> outputs;
  // 1 - the lowest agreement over the outputs: top-1 agreement for class scores, else cosine.
  double drop() const;
};

// Calls `visit` with each sample in turn.
using SampleSource =
    std::function<Status(const std::function<Status(const std::vector<runtime::NamedTensor>&)>& visit)>;

Result<QuantizationReport> CompareQuantized(const Model& original, const Model& quantized, const SampleSource& samples);

// The table printed on stdout: the worst `rows` tensors, then the outputs.
std::string FormatReport(const QuantizationReport& report, size_t rows);

}  // namespace onnxkit::tools
