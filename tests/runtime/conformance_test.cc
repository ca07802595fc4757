// The ONNX backend tests on the bundled runtime, with pass counts that may only go up.
#include <gtest/gtest.h>

#include "tests/runtime/conformance.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

size_t CountPassed(const std::string& suite, const runtime::SessionOptions& options, size_t* total) {
  auto results = RunBackendSuite(suite, "", options);
  *total = results.size();
  size_t passed = 0;
  for (const auto& r : results) passed += r.passed;
  return passed;
}

struct SuiteTarget {
  const char* suite;
  size_t minimum_passed;
};

// Raise these as kernels land; never lower them.
constexpr SuiteTarget kTargets[] = {
    {"node", 853},
    {"pytorch-converted", 82},
    {"pytorch-operator", 35},
    {"simple", 7},
};

void ExpectTargets(const runtime::SessionOptions& options) {
  ASSERT_FALSE(BackendTestDataDir().empty()) << "libonnx-testdata is missing: run scripts/setup.sh";
  for (const SuiteTarget& target : kTargets) {
    size_t total = 0;
    size_t passed = CountPassed(target.suite, options, &total);
    std::printf("%s: %zu of %zu passed\n", target.suite, passed, total);
    EXPECT_GE(passed, target.minimum_passed) << target.suite;
  }
}

// Optimized kernels (oneDNN) where they apply, reference kernels elsewhere: what users run.
TEST(Conformance, BackendTestSuites) { ExpectTargets({}); }

// The reference kernels alone: the golden the optimized ones are tested against.
TEST(Conformance, BackendTestSuitesOnReferenceKernels) {
  runtime::SessionOptions options;
  options.reference_kernels = true;
  ExpectTargets(options);
}

}  // namespace
}  // namespace onnxkit::testing
