// Comparing a candidate tensor with a reference: the figures onnx-check, onnx-opt --verify and
// the quantization report print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/tensor.h"

namespace onnxkit::runtime {

struct Tolerance {
  double relative = 1e-4;
  double absolute = 1e-5;
};

struct TensorComparison {
  bool same_type = true;
  bool same_shape = true;
  double max_absolute_error = 0;
  double max_relative_error = 0;  // |a - r| / |r| over elements with r != 0
  double cosine_similarity = 1;   // 1 when both are all zeros
  int64_t elements_beyond_tolerance = 0;
  int64_t new_non_finite = 0;  // NaN/Inf in the candidate where the reference is finite
  // For outputs shaped like class scores ([N, C], C >= 2): rows whose arg-max agree / rows.
  std::optional<double> top1_agreement;
  int64_t top1_rows = 0;
  bool within_tolerance = true;
  std::string problem;  // set when types or shapes differ
};

TensorComparison CompareTensors(const Tensor& reference, const Tensor& candidate, const Tolerance& tolerance);

// Folds the comparison of another sample into `total` (worst errors, lowest cosine, pooled top-1).
void MergeComparison(TensorComparison& total, const TensorComparison& sample);

}  // namespace onnxkit::runtime
