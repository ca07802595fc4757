// onnx-opt --verify: the optimized model must compute what the original computes.
#pragma once

#include <string>

#include "ir/model.h"
#include "runtime/tensor_compare.h"

namespace onnxkit::tools {

struct VerifyTolerance : runtime::Tolerance {
  VerifyTolerance() : runtime::Tolerance{1e-3, 1e-4} {}
};

struct VerifyReport {
  bool passed = true;
  size_t samples = 0;
  double max_absolute_error = 0;
  double min_cosine = 1;
  std::string worst_output;
};

// Runs both models on the samples of `data_folder` (or one seeded random sample when empty).
Result<VerifyReport> VerifyOptimization(const Model& original, const Model& optimized, const std::string& data_folder,
                                        const runtime::Tolerance& tolerance);

}  // namespace onnxkit::tools
