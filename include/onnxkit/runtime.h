// Running models on the bundled reference runtime, and comparing two models' outputs.
//
// The runtime executes the model's graph directly (standard ONNX ops, the com.microsoft ops the
// optimizer and quantizer emit, If/Loop/Scan bodies; docs/runtime.md lists the coverage). It is the
// runtime of onnx-run, onnx-check and onnx-opt --verify: clear reference kernels for checking
// results, not a production inference engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "onnxkit/export.h"
#include "onnxkit/model.h"
#include "onnxkit/tensor.h"

namespace onnxkit::api {

// Tensors by value name.
using NamedTensors = std::map<std::string, Tensor>;

struct SessionOptions {
  // Loop/Scan iteration bound: a larger trip count is an error instead of a hang.
  int64_t max_loop_iterations = 10'000'000;
};

class ONNXKIT_API Session {
 public:
  // Plans the model's execution. The session keeps the model's state alive (it may outlive
  // `model`) and keeps running that state when `model` is transformed later.
  explicit Session(const Model& model, const SessionOptions& options = {});
  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  ~Session();

  const std::vector<ValueInfo>& inputs() const;
  const std::vector<ValueInfo>& outputs() const;

  // Runs the model on `inputs` (by name; inputs with a default may be left out; each must match
  // the declared element type, rank and fixed dims) and returns every graph output by name.
  // Not reentrant: one run at a time per session (use one session per thread).
  NamedTensors run(const NamedTensors& inputs);

  // Seeded random data for every input without a default: floats uniform in [0, 1), integers 0
  // or 1, symbolic dims 1 (as onnx-run does for inputs nobody gave).
  NamedTensors randomInputs(uint64_t seed = 0) const;
  // The samples in `folder`: its test_data_set_* subfolders, or the folder itself, each holding
  // input_<i>.pb files (the ONNX test-data layout) or NAME.npy files.
  std::vector<NamedTensors> readSamples(const std::filesystem::path& folder) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

struct CompareOptions {
  // An element agrees when |candidate - reference| <= atol + rtol * |reference|.
  double rtol = 1e-3;
  double atol = 1e-4;
  // Samples to run (see Session::readSamples); empty: `random_samples` seeded random samples.
  std::filesystem::path data{};
  int random_samples = 1;
  uint64_t seed = 0;
};

struct OutputComparison {
  std::string name{};
  bool within_tolerance = true;
  double max_absolute_error = 0;
  double max_relative_error = 0;
  double cosine_similarity = 1;
  int64_t elements_beyond_tolerance = 0;
  int64_t new_non_finite = 0;            // NaN/Inf in the candidate where the reference is finite
  std::optional<double> top1_agreement{};  // for class scores ([N, C]): rows whose arg-max agree
  std::string problem{};  // set when element types or shapes differ
};

struct Comparison {
  size_t samples = 0;
  std::vector<OutputComparison> outputs{};  // worst over the samples, in output order
  bool passed() const {
    for (const auto& output : outputs)
      if (!output.within_tolerance) return false;
    return true;
  }
};

// Runs both models on the same samples and compares the candidate's outputs with the reference's
// (onnx-check). Throws Error when a model cannot run; disagreement is reported, not thrown.
ONNXKIT_API Comparison compareModels(const Model& reference, const Model& candidate, const CompareOptions& options = {});

}  // namespace onnxkit::api
