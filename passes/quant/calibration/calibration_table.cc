#include "passes/quant/calibration/calibration_table.h"

namespace onnxkit::quant {

Result<CalibrationTable> MergeCalibrationTables(std::span<const CalibrationTable> tables) {
  if (tables.empty()) return Status::Error("no calibration tables to merge");
  CalibrationTable merged = tables[0];
  for (size_t t = 1; t < tables.size(); ++t) {
    const CalibrationTable& table = tables[t];
    if (table.histogram_bins != merged.histogram_bins)
      return Status::Error("calibration tables to merge use different histogram sizes ({} and {} bins)",
                           merged.histogram_bins, table.histogram_bins);
    if (table.averaging_constant != merged.averaging_constant)
      return Status::Error("calibration tables to merge use different averaging constants ({} and {})",
                           merged.averaging_constant, table.averaging_constant);
    merged.sample_count += table.sample_count;
    for (const auto& [name, statistics] : table.tensors) {
      auto [it, inserted] = merged.tensors.try_emplace(name, statistics);
      if (!inserted) it->second.merge(statistics);
    }
  }
  return merged;
}

RangeTable ComputeRanges(const CalibrationTable& table, CalibrationMethod method, const RangeOptions& options) {
  RangeTable ranges;
  for (const auto& [name, statistics] : table.tensors) ranges[name] = ComputeRange(statistics, method, options);
  return ranges;
}

}  // namespace onnxkit::quant
