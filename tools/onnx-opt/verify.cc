#include "tools/onnx-opt/verify.h"

#include "runtime/model_compare.h"

namespace onnxkit::tools {

Result<VerifyReport> VerifyOptimization(const Model& original, const Model& optimized, const std::string& data_folder,
                                        const runtime::Tolerance& tolerance) {
  ONNXKIT_ASSIGN_OR_RETURN(auto reference, runtime::Session::Create(original));
  auto candidate = runtime::Session::Create(optimized);
  if (!candidate.ok()) return candidate.status().WithContext("the optimized model cannot run");
  ONNXKIT_ASSIGN_OR_RETURN(auto samples, runtime::LoadSamples(reference->inputs(), data_folder, 1, {}, 0));
  ONNXKIT_ASSIGN_OR_RETURN(auto comparison, runtime::CompareModels(*reference, **candidate, samples, tolerance));
  VerifyReport report;
  report.samples = comparison.samples;
  report.passed = comparison.passed();
  double worst = -1;
  for (size_t i = 0; i < comparison.outputs.size(); ++i) {
    const auto& c = comparison.outputs[i];
    report.max_absolute_error = std::max(report.max_absolute_error, c.max_absolute_error);
    report.min_cosine = std::min(report.min_cosine, c.cosine_similarity);
    double badness = c.within_tolerance ? c.max_absolute_error : 1e300;
    if (badness > worst) {
      worst = badness;
      report.worst_output = comparison.output_names[i];
    }
  }
  return report;
}

}  // namespace onnxkit::tools
