// onnx-info's stdout: a ModelSummary as readable text or as one JSON object (snake_case keys).
#pragma once

#include <string>

#include "tools/onnx-info/model_summary.h"

namespace onnxkit::tools {

std::string FormatSummaryText(const std::string& model_path, const ModelSummary& summary);
std::string FormatSummaryJson(const std::string& model_path, const ModelSummary& summary);

// "1.5 MiB", "312 B": for people; the exact count is printed next to it.
std::string HumanBytes(int64_t bytes);

}  // namespace onnxkit::tools
