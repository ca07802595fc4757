// Fuzz target: a calibration table (ParseCalibrationTable, behind LoadCalibrationTable and
// `onnx-quant --table`). Bad bytes must give an error Status. A table that loads is one the
// quantizer will use, so every method must turn it into ranges, it must merge with itself, and it
// must save and load back equal.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <google/protobuf/stubs/logging.h>

#include "fuzz/fuzz_check.h"
#include "passes/quant/calibration/calibration_table.h"
#include "passes/quant/calibration/calibration_table_io.h"

using namespace onnxkit;
using namespace onnxkit::quant;

// Protobuf logs every string field that is not UTF-8 (proto3) before the parse fails; thousands of
// such lines a second would slow the fuzzer down to a crawl.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler([](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto table = ParseCalibrationTable(std::string(reinterpret_cast<const char*>(data), size), "fuzz.calib");
  if (!table.ok()) return 0;

  for (CalibrationMethod method :
       {CalibrationMethod::kMinMax, CalibrationMethod::kPercentile, CalibrationMethod::kEntropy, CalibrationMethod::kMse})
    for (bool symmetric : {false, true}) {
      RangeOptions options;
      options.symmetric = symmetric;
      options.moving_average = symmetric;
      (void)ComputeRanges(*table, method, options);
    }

  std::array<CalibrationTable, 2> both{*table, *table};
  auto merged = MergeCalibrationTables(both);
  FUZZ_CHECK(merged.ok(), "a table does not merge with itself: %s", merged.message().c_str());

  auto again = ParseCalibrationTable(SerializeCalibrationTable(*table), "again.calib");
  FUZZ_CHECK(again.ok(), "a saved table does not load: %s", again.message().c_str());
  FUZZ_CHECK(*again == *table, "saving and loading changed the table");
  return 0;
}
