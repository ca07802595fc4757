// Saving and loading calibration tables (proto/calibration_table.proto, binary protobuf), so a
// calibration run's statistics can be kept, shipped and merged with runs made elsewhere.
#pragma once

#include <filesystem>
#include <string>

#include "ir/status.h"
#include "passes/quant/calibration/calibration_table.h"

namespace onnxkit::quant {

// Written atomically (temporary file + rename): a failed save leaves no partial file.
Status SaveCalibrationTable(const CalibrationTable& table, const std::filesystem::path& path);
// Errors name the file: missing, unreadable, not a calibration table, inconsistent histogram.
Result<CalibrationTable> LoadCalibrationTable(const std::filesystem::path& path);

// The serialized CalibrationTableProto, and back (`what` names the source in errors).
std::string SerializeCalibrationTable(const CalibrationTable& table);
Result<CalibrationTable> ParseCalibrationTable(const std::string& bytes, const std::string& what);

}  // namespace onnxkit::quant
