#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-log-softmax"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

TEST(FuseLogSoftmax, Opset13AxisCarriesOver) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      t = Softmax<axis = 1>(x)
      y = Log(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      y = LogSoftmax<axis = 1>(x)
    }
  )", kTolerance}), 1u);
}

TEST(FuseLogSoftmax, DefaultAxisAtEachOpset) {
  // Below 13 both ops coerce to 2-D at axis 1 by default; from 13 both use axis -1.
  for (const char* opset : {"11", "13"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 7, opset_import: ["" : {}]>
      g (float[2,3,4] x) => (float[2,3,4] y) {{
        t = Softmax(x)
        y = Log(t)
      }}
    )", opset), kPass, fmt::format(R"(
      <ir_version: 7, opset_import: ["" : {}]>
      g (float[2,3,4] x) => (float[2,3,4] y) {{
        y = LogSoftmax(x)
      }}
    )", opset), kTolerance});
  }
}

TEST(FuseLogSoftmax, InnerValueAndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = th () => (float[2,3] v) { t = Softmax(x)  l = Log(t)  v = Neg(l) },
                  else_branch = el () => (float[2,3] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = th () => (float[2,3] v) { l = LogSoftmax(x)  v = Neg(l) },
                  else_branch = el () => (float[2,3] w) { w = Neg(x) }>
    }
  )", kTolerance});
}

// ----- Does not apply -----

TEST(FuseLogSoftmax, KeepsASoftmaxUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y, float[2,3] t) {
      t = Softmax(x)
      y = Log(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y, float[2,3] z) {
      t = Softmax(x)
      y = Log(t)
      z = Exp(t)
    }
  )", kPass, ""});
}

TEST(FuseLogSoftmax, KeepsOtherProducersAndDomains) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      t = Sigmoid(x)
      y = Log(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13, "custom" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      t = custom.Softmax(x)
      y = Log(t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
