// Prints the ONNX backend test results of the bundled runtime, for developers and for
// docs/runtime-coverage.md:  conformance_report [--filter TEXT] [--failures] [--markdown]
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "tests/runtime/conformance.h"

int main(int argc, char** argv) {
  std::string filter;
  bool failures_only = false, markdown = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--filter") && i + 1 < argc) filter = argv[++i];
    else if (!std::strcmp(argv[i], "--failures")) failures_only = true;
    else if (!std::strcmp(argv[i], "--markdown")) markdown = true;
  }
  for (const char* suite : {"node", "pytorch-converted", "pytorch-operator", "simple"}) {
    auto results = onnxkit::testing::RunBackendSuite(suite, filter);
    size_t passed = 0;
    for (const auto& r : results) {
      passed += r.passed;
      if (r.passed && failures_only) continue;
      if (markdown) {
        if (!r.passed) fmt::print("| {}/{} | {} |\n", suite, r.name, r.failure);
      } else {
        fmt::print("{} {}/{}{}{}\n", r.passed ? "PASS" : "FAIL", suite, r.name, r.passed ? "" : ": ", r.failure);
      }
    }
    fmt::print("{}: {} of {} passed\n", suite, passed, results.size());
    std::fflush(stdout);
  }
  return 0;
}
