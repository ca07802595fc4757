#include "runtime/model_compare.h"

#include <algorithm>

#include "runtime/sample_data.h"

namespace onnxkit::runtime {

Result<std::vector<Sample>> LoadSamples(const std::vector<ValueSpec>& inputs, const std::string& data_folder,
                                        int random_samples, const std::map<std::string, Shape>& shapes, uint64_t seed) {
  std::vector<Sample> samples;
  if (!data_folder.empty()) {
    ONNXKIT_ASSIGN_OR_RETURN(auto folders, ListSampleFolders(data_folder));
    for (const auto& folder : folders) {
      ONNXKIT_ASSIGN_OR_RETURN(Sample given, ReadSampleFolder(folder, inputs));
      ONNXKIT_ASSIGN_OR_RETURN(Sample sample, CompleteWithRandomInputs(inputs, std::move(given), shapes, seed));
      samples.push_back(std::move(sample));
    }
    return samples;
  }
  for (int s = 0; s < random_samples; ++s) {
    ONNXKIT_ASSIGN_OR_RETURN(Sample sample, CompleteWithRandomInputs(inputs, {}, shapes, seed + static_cast<uint64_t>(s)));
    samples.push_back(std::move(sample));
  }
  return samples;
}

bool ModelComparison::passed() const {
  return std::all_of(outputs.begin(), outputs.end(), [](const TensorComparison& c) { return c.within_tolerance; });
}

Result<ModelComparison> CompareModels(Session& reference, Session& candidate, const std::vector<Sample>& samples,
                                      const Tolerance& tolerance, const std::string& reference_name,
                                      const std::string& candidate_name, const SampleComparisonObserver& on_sample) {
  if (reference.outputs().size() != candidate.outputs().size())
    return Status::Error("the models have {} and {} outputs", reference.outputs().size(), candidate.outputs().size());
  ModelComparison comparison;
  for (const ValueSpec& spec : reference.outputs()) comparison.output_names.push_back(spec.name);
  comparison.outputs.resize(comparison.output_names.size());
  for (const Sample& sample : samples) {
    auto expected = reference.run(sample);
    if (!expected.ok()) return expected.status().WithContext(reference_name);
    auto actual = candidate.run(sample);
    if (!actual.ok()) return actual.status().WithContext(candidate_name);
    std::vector<TensorComparison> outputs;
    for (size_t i = 0; i < comparison.outputs.size(); ++i)
      outputs.push_back(CompareTensors((*expected)[i], (*actual)[i], tolerance));
    if (on_sample) on_sample(comparison.samples, outputs);
    for (size_t i = 0; i < comparison.outputs.size(); ++i) MergeComparison(comparison.outputs[i], outputs[i]);
    ++comparison.samples;
  }
  return comparison;
}

}  // namespace onnxkit::runtime
