// The ONNX backend tests on the bundled runtime, with pass counts that may only go up.
#include <gtest/gtest.h>

#include "tests/runtime/conformance.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

size_t CountPassed(const std::string& suite, size_t* total) {
  auto results = RunBackendSuite(suite);
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

TEST(Conformance, BackendTestSuites) {
  ASSERT_FALSE(BackendTestDataDir().empty()) << "libonnx-testdata is missing: run scripts/setup.sh";
  for (const SuiteTarget& target : kTargets) {
    size_t total = 0;
    size_t passed = CountPassed(target.suite, &total);
    std::printf("%s: %zu of %zu passed\n", target.suite, passed, total);
    EXPECT_GE(passed, target.minimum_passed) << target.suite;
  }
}

}  // namespace
}  // namespace onnxkit::testing
