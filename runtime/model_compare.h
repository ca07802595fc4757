// Runs two models on the same samples and compares their outputs: the check behind onnx-check
// and onnx-opt --verify.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runtime/session.h"
#include "runtime/tensor_compare.h"

namespace onnxkit::runtime {

using Sample = std::vector<NamedTensor>;

// The samples in `data_folder` (test_data_set_* folders or one sample folder; inputs missing
// from a sample are filled with seeded random data), or `random_samples` samples of seeded random
// inputs (seeds seed, seed+1, ...) when the folder is empty.
Result<std::vector<Sample>> LoadSamples(const std::vector<ValueSpec>& inputs, const std::string& data_folder,
                                        int random_samples, const std::map<std::string, Shape>& shapes, uint64_t seed);

struct ModelComparison {
  std::vector<std::string> output_names;
  std::vector<TensorComparison> outputs;  // merged over the samples
  size_t samples = 0;
  bool passed() const;
};

// Called with each sample's comparison of every output (before merging), e.g. for onnx-check --verbose.
using SampleComparisonObserver = std::function<void(size_t sample, const std::vector<TensorComparison>& outputs)>;

// Errors name which model failed to run ("<reference_name>: ..." / "<candidate_name>: ...").
Result<ModelComparison> CompareModels(Session& reference, Session& candidate, const std::vector<Sample>& samples,
                                      const Tolerance& tolerance, const std::string& reference_name = "reference",
                                      const std::string& candidate_name = "candidate",
                                      const SampleComparisonObserver& on_sample = {});

}  // namespace onnxkit::runtime
