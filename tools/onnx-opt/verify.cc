#include "tools/onnx-opt/verify.h"

#include <map>

#include "runtime/model_compare.h"

namespace onnxkit::tools {
namespace {

// A float tensor converted to float16 or float32 (the conversions --fp16 puts at the interface).
runtime::Tensor ConvertFloat(const runtime::Tensor& tensor, DataType to) {
  if (tensor.dtype() == to || !IsFloatingPoint(tensor.dtype())) return tensor;
  if (to == DataType::kFloat16) {
    std::vector<uint16_t> values(static_cast<size_t>(tensor.elementCount()));
    for (int64_t i = 0; i < tensor.elementCount(); ++i)
      values[static_cast<size_t>(i)] = FloatToHalf(static_cast<float>(tensor.elementAsDouble(i)));
    return runtime::Tensor::FromVector(DataType::kFloat16, tensor.shape(), values);
  }
  std::vector<float> values(static_cast<size_t>(tensor.elementCount()));
  for (int64_t i = 0; i < tensor.elementCount(); ++i)
    values[static_cast<size_t>(i)] = static_cast<float>(tensor.elementAsDouble(i));
  return runtime::Tensor::FromVector(DataType::kFloat, tensor.shape(), values);
}

// Whether --fp16 (without --keep-io-types) changed a float32 input or output to float16.
bool HalfInterface(const runtime::Session& reference, const runtime::Session& candidate) {
  auto differs = [](const std::vector<runtime::ValueSpec>& a, const std::vector<runtime::ValueSpec>& b) {
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      if (a[i].type == DataType::kFloat && b[i].type == DataType::kFloat16) return true;
    return false;
  };
  return differs(reference.inputs(), candidate.inputs()) || differs(reference.outputs(), candidate.outputs());
}

// CompareModels, feeding the candidate float16 where it takes float16 and comparing its float16
// outputs as float32.
Result<runtime::ModelComparison> CompareWithHalfInterface(runtime::Session& reference, runtime::Session& candidate,
                                                          const std::vector<runtime::Sample>& samples,
                                                          const runtime::Tolerance& tolerance) {
  if (reference.outputs().size() != candidate.outputs().size())
    return Status::Error("the models have {} and {} outputs", reference.outputs().size(), candidate.outputs().size());
  std::map<std::string, DataType> candidate_types;
  for (const auto& spec : candidate.inputs()) candidate_types[spec.name] = spec.type;
  runtime::ModelComparison comparison;
  for (const auto& spec : reference.outputs()) comparison.output_names.push_back(spec.name);
  comparison.outputs.resize(comparison.output_names.size());
  for (const runtime::Sample& sample : samples) {
    auto expected = reference.run(sample);
    if (!expected.ok()) return expected.status().WithContext("reference");
    runtime::Sample converted;
    for (const auto& [name, tensor] : sample)
      converted.emplace_back(name, candidate_types[name] == DataType::kFloat16 ? ConvertFloat(tensor, DataType::kFloat16)
                                                                               : tensor);
    auto actual = candidate.run(converted);
    if (!actual.ok()) return actual.status().WithContext("candidate");
    for (size_t i = 0; i < comparison.outputs.size(); ++i) {
      runtime::Tensor output = (*actual)[i].dtype() == DataType::kFloat16 && (*expected)[i].dtype() == DataType::kFloat
                                   ? ConvertFloat((*actual)[i], DataType::kFloat)
                                   : (*actual)[i];
      runtime::MergeComparison(comparison.outputs[i], runtime::CompareTensors((*expected)[i], output, tolerance));
    }
    ++comparison.samples;
  }
  return comparison;
}

}  // namespace

Result<VerifyReport> VerifyOptimization(const Model& original, const Model& optimized, const std::string& data_folder,
                                        const runtime::Tolerance& tolerance) {
  ONNXKIT_ASSIGN_OR_RETURN(auto reference, runtime::Session::Create(original));
  auto candidate = runtime::Session::Create(optimized);
  if (!candidate.ok()) return candidate.status().WithContext("the optimized model cannot run");
  // Dims the result fixed (--fix-batch, --overwrite-input-shape) shape the random samples.
  std::map<std::string, runtime::Shape> shapes;
  for (const auto& fixed : (*candidate)->inputs()) {
    if (!fixed.has_shape || std::find(fixed.dims.begin(), fixed.dims.end(), -1) != fixed.dims.end()) continue;
    for (const auto& spec : reference->inputs())
      if (spec.name == fixed.name && std::find(spec.dims.begin(), spec.dims.end(), -1) != spec.dims.end())
        shapes[spec.name] = fixed.dims;
  }
  ONNXKIT_ASSIGN_OR_RETURN(auto samples, runtime::LoadSamples(reference->inputs(), data_folder, 1, shapes, 0));
  auto compared = HalfInterface(*reference, **candidate)
                      ? CompareWithHalfInterface(*reference, **candidate, samples, tolerance)
                      : runtime::CompareModels(*reference, **candidate, samples, tolerance);
  ONNXKIT_ASSIGN_OR_RETURN(auto comparison, std::move(compared));
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
