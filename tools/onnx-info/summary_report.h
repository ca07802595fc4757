// onnx-info's stdout: a ModelSummary as readable text or as one JSON object (snake_case keys).
#pragma once

#include <string>

#include "tools/common/human_bytes.h"
#include "tools/report/model_summary.h"

namespace onnxkit::tools {

std::string FormatSummaryText(const std::string& model_path, const ModelSummary& summary);
std::string FormatSummaryJson(const std::string& model_path, const ModelSummary& summary);

}  // namespace onnxkit::tools
