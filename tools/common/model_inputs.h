// Command-line input handling shared by onnx-run and onnx-check: --input NAME=FILE, --data DIR,
// --shape NAME=DIMS, --seed S. Inputs nobody gave are filled with seeded random data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/session.h"

namespace onnxkit::tools {

struct InputOptions {
  std::vector<std::string> inputs;  // NAME=FILE (.npy or .pb)
  std::string data_folder;          // a sample folder (input_<i>.pb or NAME.npy)
  std::vector<std::string> shapes;  // NAME=1,3,224,224
  uint64_t seed = 0;
};

// Parses "NAME=1,3,224,224" entries.
Result<std::map<std::string, runtime::Shape>> ParseShapes(const std::vector<std::string>& specs);

// The inputs for one run: files named on the command line, then the data folder, then random
// data (seeded with options.seed) for the rest.
Result<std::vector<runtime::NamedTensor>> GatherInputs(const std::vector<runtime::ValueSpec>& specs,
                                                       const InputOptions& options);

}  // namespace onnxkit::tools
