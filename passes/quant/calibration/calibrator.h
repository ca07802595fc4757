// Calibration: runs the float model on calibration samples and keeps, for each observed tensor,
// only mergeable statistics (tensor_statistics.h). Tensors are observed through the runtime's
// observer hook (node outputs, subgraphs included) and, for graph inputs, from the fed tensors.
// Memory is bounded by (observed tensors × histogram size) plus one sample's run, never by the
// number of samples: samples are streamed from disk one at a time (calibration_data.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ir/model.h"
#include "ir/status.h"
#include "passes/quant/calibration/calibration_table.h"
#include "runtime/session.h"

namespace onnxkit::quant {

// Called after each sample with the samples done and the total (0 when unknown).
using CalibrationProgress = std::function<void(uint64_t samples_done, uint64_t total)>;

struct CalibrateOptions {
  // Tensors (value names) to observe; empty: every float tensor (graph inputs and node outputs).
  std::vector<std::string> tensors;
  int histogram_bins = Histogram::kDefaultMaxBins;
  double averaging_constant = 0.01;  // of the moving averages of per-sample min/max (as ONNX Runtime)
  uint64_t max_samples = 0;          // 0: all samples of the folder
  // Recorded in the table (informational).
  std::string model_name;
  std::string method;
  double percentile = 99.999;
  CalibrationProgress progress;
};

// The streaming collector, for callers that produce samples themselves.
class Calibrator {
 public:
  // `model` must outlive the calibrator.
  static Result<std::unique_ptr<Calibrator>> Create(const Model& model, CalibrateOptions options = {});
  ~Calibrator();

  const std::vector<runtime::ValueSpec>& inputs() const;
  // Runs one sample and adds its statistics.
  Status addSample(const std::vector<runtime::NamedTensor>& feeds);
  // The table so far; an error when a requested tensor was never computed.
  Result<CalibrationTable> table() const;

 private:
  Calibrator(CalibrateOptions options, std::unique_ptr<runtime::Session> session);
  void observe(const std::string& name, const runtime::Tensor& tensor);

  CalibrateOptions options_;
  std::unique_ptr<runtime::Session> session_;
  std::set<std::string> wanted_;  // empty: all
  CalibrationTable table_;
};

// Calibrates `model` on the samples in `data_folder` (calibration_data.h for the layouts).
Result<CalibrationTable> Calibrate(const Model& model, const std::filesystem::path& data_folder,
                                   const CalibrateOptions& options = {});

}  // namespace onnxkit::quant
