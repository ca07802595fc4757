// Runs the ONNX backend tests (Debian's libonnx-testdata) on the bundled runtime: each test is a
// model.onnx with test_data_set_*/input_*.pb and output_*.pb, compared with rtol 1e-3, atol 1e-5
// for floats and exactly for integers, bools and strings.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "runtime/session.h"

namespace onnxkit::testing {

struct ConformanceResult {
  std::string suite;  // node, pytorch-converted, pytorch-operator, simple
  std::string name;   // test_abs, ...
  bool passed = false;
  std::string failure;  // why it failed (first problem)
};

// With default options the optimized kernels run where they apply; options.reference_kernels
// runs the reference kernels only.
ConformanceResult RunBackendTest(const std::filesystem::path& test_dir, const runtime::SessionOptions& options = {});

// Every test of one suite folder, sorted by name; `filter` keeps names containing it.
std::vector<ConformanceResult> RunBackendSuite(const std::string& suite, const std::string& filter = "",
                                               const runtime::SessionOptions& options = {});

}  // namespace onnxkit::testing
