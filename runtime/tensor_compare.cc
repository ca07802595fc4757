#include "runtime/tensor_compare.h"

#include <algorithm>
#include <cmath>

namespace onnxkit::runtime {

TensorComparison CompareTensors(const Tensor& reference, const Tensor& candidate, const Tolerance& tolerance) {
  TensorComparison c;
  if (reference.dtype() != candidate.dtype()) {
    c.same_type = false;
    c.within_tolerance = false;
    c.problem = fmt::format("type {} differs from the reference's {}", DataTypeName(candidate.dtype()),
                            DataTypeName(reference.dtype()));
    return c;
  }
  if (reference.shape() != candidate.shape()) {
    c.same_shape = false;
    c.within_tolerance = false;
    c.problem = fmt::format("shape [{}] differs from the reference's [{}]", ShapeToString(candidate.shape()),
                            ShapeToString(reference.shape()));
    return c;
  }
  int64_t count = reference.elementCount();
  if (reference.dtype() == DataType::kString) {
    for (int64_t i = 0; i < count; ++i)
      if (reference.strings()[static_cast<size_t>(i)] != candidate.strings()[static_cast<size_t>(i)]) ++c.elements_beyond_tolerance;
    c.within_tolerance = c.elements_beyond_tolerance == 0;
    return c;
  }
  double dot = 0, norm_r = 0, norm_c = 0;
  for (int64_t i = 0; i < count; ++i) {
    double r = reference.elementAsDouble(i), a = candidate.elementAsDouble(i);
    bool r_finite = std::isfinite(r), a_finite = std::isfinite(a);
    if (!r_finite || !a_finite) {
      bool same = (std::isnan(r) && std::isnan(a)) || r == a;
      if (!same) {
        ++c.elements_beyond_tolerance;
        if (r_finite) ++c.new_non_finite;
      }
      continue;
    }
    double error = std::abs(a - r);
    c.max_absolute_error = std::max(c.max_absolute_error, error);
    if (r != 0) c.max_relative_error = std::max(c.max_relative_error, error / std::abs(r));
    if (error > tolerance.absolute + tolerance.relative * std::abs(r)) ++c.elements_beyond_tolerance;
    dot += a * r;
    norm_r += r * r;
    norm_c += a * a;
  }
  if (norm_r > 0 && norm_c > 0) c.cosine_similarity = dot / (std::sqrt(norm_r) * std::sqrt(norm_c));
  else if (norm_r != norm_c) c.cosine_similarity = 0;

  if (IsFloatingPoint(reference.dtype()) && reference.rank() == 2 && reference.dim(1) >= 2) {
    int64_t rows = reference.dim(0), classes = reference.dim(1), agree = 0;
    for (int64_t row = 0; row < rows; ++row) {
      int64_t best_r = 0, best_c = 0;
      for (int64_t k = 1; k < classes; ++k) {
        if (reference.elementAsDouble(row * classes + k) > reference.elementAsDouble(row * classes + best_r)) best_r = k;
        if (candidate.elementAsDouble(row * classes + k) > candidate.elementAsDouble(row * classes + best_c)) best_c = k;
      }
      agree += best_r == best_c;
    }
    c.top1_rows = rows;
    if (rows > 0) c.top1_agreement = static_cast<double>(agree) / static_cast<double>(rows);
  }
  c.within_tolerance = c.elements_beyond_tolerance == 0;
  return c;
}

void MergeComparison(TensorComparison& total, const TensorComparison& sample) {
  if (!sample.problem.empty() && total.problem.empty()) total.problem = sample.problem;
  total.same_type = total.same_type && sample.same_type;
  total.same_shape = total.same_shape && sample.same_shape;
  total.max_absolute_error = std::max(total.max_absolute_error, sample.max_absolute_error);
  total.max_relative_error = std::max(total.max_relative_error, sample.max_relative_error);
  total.cosine_similarity = std::min(total.cosine_similarity, sample.cosine_similarity);
  total.elements_beyond_tolerance += sample.elements_beyond_tolerance;
  total.new_non_finite += sample.new_non_finite;
  if (sample.top1_agreement) {
    double agreeing = total.top1_agreement.value_or(0) * static_cast<double>(total.top1_rows) +
                      *sample.top1_agreement * static_cast<double>(sample.top1_rows);
    total.top1_rows += sample.top1_rows;
    total.top1_agreement = agreeing / static_cast<double>(total.top1_rows);
  }
  total.within_tolerance = total.within_tolerance && sample.within_tolerance;
}

}  // namespace onnxkit::runtime
