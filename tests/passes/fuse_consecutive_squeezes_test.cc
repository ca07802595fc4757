#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-squeezes"};

}  // namespace
}  // namespace onnxkit::testing
