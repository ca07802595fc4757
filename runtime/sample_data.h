// Input data for running a model: test-data folders, tensor files, and seeded random inputs
// (as Polygraphy does) for inputs nobody provided. Shared by onnx-run, onnx-check and calibration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "runtime/session.h"

namespace onnxkit::runtime {

// Reads one sample from a folder: the ONNX test-data layout (input_0.pb, input_1.pb, ... in the
// order of the inputs without a default value; a name stored in the .pb wins) or NAME.npy files.
Result<std::vector<NamedTensor>> ReadSampleFolder(const std::filesystem::path& folder, const std::vector<ValueSpec>& inputs);

// The samples in `folder`: test_data_set_*/ subfolders (one sample each), or the folder itself.
Result<std::vector<std::filesystem::path>> ListSampleFolders(const std::filesystem::path& folder);

// Shape for a declared input: declared dims, with symbolic/unknown dims from `dim_values`
// (by dim name) or 1. `override_shape` (from --shape) replaces it entirely when present.
Shape ConcreteShape(const ValueSpec& spec, const std::map<std::string, int64_t>& dim_values = {});

// A random tensor: floats uniform in [0, 1), integers 0 or 1, bools random (a safe choice for
// indices and masks, as Polygraphy's default data loader does).
Result<Tensor> RandomTensor(DataType type, const Shape& shape, std::mt19937_64& random);

// Fills every input of `inputs` not present in `given` with a random tensor (seeded), using
// `shapes` for explicit shapes by input name. Inputs with a default value are left out.
Result<std::vector<NamedTensor>> CompleteWithRandomInputs(const std::vector<ValueSpec>& inputs,
                                                           std::vector<NamedTensor> given,
                                                           const std::map<std::string, Shape>& shapes, uint64_t seed);

}  // namespace onnxkit::runtime
