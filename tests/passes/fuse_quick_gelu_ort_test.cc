#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-quick-gelu-ort"};

const runtime::Tolerance kTolerance{1e-6, 1e-7};

TEST(FuseQuickGeluOrt, Silu) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,8] x) => (float[2,8] y) {
      s = Sigmoid(x)
      y = Mul(s, x)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[2,8] x) => (float[2,8] y) {
      y = com.microsoft.QuickGelu<alpha = 1.0>(x)
    }
  )", kTolerance}), 1u);
}

TEST(FuseQuickGeluOrt, ScaledSigmoidInASubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[4] x) => (float[4] y) {
      y = If(b) <then_branch = t () => (float[4] v) <float k = {1.702}> {
                    a = Mul(k, x)
                    s = Sigmoid(a)
                    v = Mul(x, s)
                  },
                  else_branch = e () => (float[4] w) { w = Neg(x) }>
    }
  )", {"fuse-quick-gelu-ort", "eliminate-dead-nodes"}, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (bool b, float[4] x) => (float[4] y) {
      y = If(b) <then_branch = t () => (float[4] v) {
                    v = com.microsoft.QuickGelu<alpha = 1.702>(x)
                  },
                  else_branch = e () => (float[4] w) { w = Neg(x) }>
    }
  )", kTolerance});
}

TEST(FuseQuickGeluOrt, KeepsOtherPatterns) {
  // The Sigmoid reads another value; its output has another use; double; a non-scalar scale.
  for (const char* body : {"s = Sigmoid(z)\n y = Mul(x, s)", "s = Sigmoid(x)\n m = Mul(x, s)\n y = Add(m, s)"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[4] x, float[4] z) => (float[4] y) {{
        {}
      }}
    )", body), kPass, ""});
  }
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (double[4] x) => (double[4] y) {
      s = Sigmoid(x)
      y = Mul(x, s)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4] x) => (float[4] y) <float[4] k = {1, 2, 3, 4}> {
      a = Mul(x, k)
      s = Sigmoid(a)
      y = Mul(x, s)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
