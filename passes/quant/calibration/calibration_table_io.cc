#include "passes/quant/calibration/calibration_table_io.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include "ir/atomic_file.h"
#include "proto/calibration_table.pb.h"

namespace onnxkit::quant {
namespace {

constexpr int kFormatVersion = 1;

}  // namespace

std::string SerializeCalibrationTable(const CalibrationTable& table) {
  CalibrationTableProto proto;
  proto.set_version(kFormatVersion);
  proto.set_model(table.model);
  proto.set_sample_count(table.sample_count);
  proto.set_averaging_constant(table.averaging_constant);
  proto.set_method(table.method);
  proto.set_percentile(table.percentile);
  for (const auto& [name, s] : table.tensors) {
    TensorCalibrationProto* t = proto.add_tensors();
    t->set_name(name);
    t->set_min(s.histogram.min());
    t->set_max(s.histogram.max());
    t->set_moving_min(s.moving_min);
    t->set_moving_max(s.moving_max);
    t->set_count(s.histogram.count());
    t->set_observation_count(s.observation_count);
    t->set_non_finite_count(s.histogram.nonFiniteCount());
    HistogramProto* h = t->mutable_histogram();
    h->set_width_exponent(s.histogram.widthExponent());
    h->set_first_bin_index(s.histogram.firstBinIndex());
    h->set_max_bins(s.histogram.maxBins());
    for (uint64_t c : s.histogram.counts()) h->add_counts(c);
  }
  std::string bytes;
  proto.SerializeToString(&bytes);
  return bytes;
}

Result<CalibrationTable> ParseCalibrationTable(const std::string& bytes, const std::string& what) {
  CalibrationTableProto proto;
  if (bytes.empty() || !proto.ParseFromString(bytes))
    return Status::Error("{}: not a calibration table (cannot parse it as a CalibrationTableProto)", what);
  if (proto.version() != kFormatVersion)
    return Status::Error("{}: calibration table format version {} is not supported (expected {})", what,
                         proto.version(), kFormatVersion);
  CalibrationTable table;
  table.model = proto.model();
  table.sample_count = proto.sample_count();
  table.averaging_constant = proto.averaging_constant();
  table.method = proto.method();
  table.percentile = proto.percentile();
  // The same ranges the calibrator and onnx-quant accept; a NaN here would become NaN ranges.
  if (!(table.averaging_constant > 0 && table.averaging_constant <= 1))
    return Status::Error("{}: averaging constant {} is out of range (0, 1]", what, table.averaging_constant);
  if (!(table.percentile > 0 && table.percentile <= 100))
    return Status::Error("{}: percentile {} is out of range (0, 100]", what, table.percentile);
  bool first = true;
  for (const TensorCalibrationProto& t : proto.tensors()) {
    const HistogramProto& h = t.histogram();
    if (first) table.histogram_bins = h.max_bins();
    first = false;
    if (h.max_bins() != table.histogram_bins)
      return Status::Error("{}: tensor '{}' has a histogram of {} bins, the others {}", what, t.name(), h.max_bins(),
                           table.histogram_bins);
    TensorStatistics statistics(h.max_bins());
    statistics.histogram = Histogram::FromParts(h.max_bins(), h.width_exponent(), h.first_bin_index(),
                                                std::vector<uint64_t>(h.counts().begin(), h.counts().end()), t.min(),
                                                t.max(), t.non_finite_count());
    std::string problem = statistics.histogram.validate();
    if (problem.empty() && statistics.histogram.count() != t.count()) problem = "count disagrees with the bins";
    if (!problem.empty()) return Status::Error("{}: tensor '{}': inconsistent histogram ({})", what, t.name(), problem);
    if (!std::isfinite(t.moving_min()) || !std::isfinite(t.moving_max()))
      return Status::Error("{}: tensor '{}': moving averages {} and {} are not finite", what, t.name(), t.moving_min(),
                           t.moving_max());
    statistics.moving_min = t.moving_min();
    statistics.moving_max = t.moving_max();
    statistics.observation_count = t.observation_count();
    if (!table.tensors.emplace(t.name(), std::move(statistics)).second)
      return Status::Error("{}: tensor '{}' appears twice", what, t.name());
  }
  return table;
}

Status SaveCalibrationTable(const CalibrationTable& table, const std::filesystem::path& path) {
  return WriteFileAtomically(path, SerializeCalibrationTable(table))
      .WithContext(fmt::format("saving calibration table {}", path.string()));
}

Result<CalibrationTable> LoadCalibrationTable(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))
    return Status::Error("{}: no such calibration table file", path.string());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return Status::Error("{}: cannot read the file", path.string());
  return ParseCalibrationTable(std::move(bytes).str(), path.string());
}

}  // namespace onnxkit::quant
