// The calibration table in memory: per-tensor statistics from a calibration run, independent of
// the calibration method, so that tables from runs over parts of a data set (other machines,
// other days) merge exactly and any method can turn the merged table into ranges afterwards.
// Stored as proto/calibration_table.proto (calibration_table_io.h).
#pragma once

#include <map>
#include <span>
#include <string>

#include "ir/status.h"
#include "passes/quant/calibration/calibration_methods.h"
#include "passes/quant/calibration/tensor_statistics.h"
#include "passes/quant/ranges.h"

namespace onnxkit::quant {

struct CalibrationTable {
  std::string model;                // the model's file name (informational)
  uint64_t sample_count = 0;        // calibration samples run
  double averaging_constant = 0.01;  // of the moving averages
  int histogram_bins = Histogram::kDefaultMaxBins;
  // Requested method and percentile (hints for whoever turns the table into ranges; may be empty).
  std::string method;
  double percentile = 99.999;
  std::map<std::string, TensorStatistics> tensors;

  bool operator==(const CalibrationTable& other) const = default;
};

// Merges tables of the same model (e.g. calibration split over machines). Histograms, min/max and
// counts merge exactly: merging the tables of two halves of a data set equals one run over the
// whole set. Moving averages are averaged weighted by observation counts (not exact: a moving
// average depends on the order of observations). Tables must have the same bin budget and
// averaging constant; model, method and percentile are taken from the first table.
Result<CalibrationTable> MergeCalibrationTables(std::span<const CalibrationTable> tables);

// Ranges of every tensor of the table by `method`.
RangeTable ComputeRanges(const CalibrationTable& table, CalibrationMethod method, const RangeOptions& options = {});

}  // namespace onnxkit::quant
