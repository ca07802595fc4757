#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-matmul-scale-ort"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

TEST(FuseMatmulScaleOrt, TransposedB) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] a, float[2,5,4] b) => (float[2,3,5] y) {
      bt = Transpose<perm = [0, 2, 1]>(b)
      y = MatMul(a, bt)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[2,3,4] a, float[2,5,4] b) => (float[2,3,5] y) {
      y = com.microsoft.FusedMatMul<alpha = 1.0, transA = 0, transB = 1>(a, b)
    }
  )", kTolerance}), 1u);
}

TEST(FuseMatmulScaleOrt, TransposedMatrixWithDefaultPermAndBroadcastBatch) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[4,3] a, float[2,4,5] b) => (float[2,3,5] y) {
      at = Transpose(a)
      y = MatMul(at, b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[4,3] a, float[2,4,5] b) => (float[2,3,5] y) {
      y = com.microsoft.FusedMatMul<alpha = 1.0, transA = 1, transB = 0>(a, b)
    }
  )", kTolerance});
}

TEST(FuseMatmulScaleOrt, ScaledOutput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,3,4] q, float[1,2,4,3] k) => (float[1,2,3,3] y) <float d = {8.0}> {
      m = MatMul(q, k)
      y = Div(m, d)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[1,2,3,4] q, float[1,2,4,3] k) => (float[1,2,3,3] y) <float d = {8.0}> {
      y = com.microsoft.FusedMatMul<alpha = 0.125, transA = 0, transB = 0>(q, k)
    }
  )", kTolerance});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,4] q, float[4,3] k) => (float[3,3] y) <float[3,3] m, float[1] s = {3.0}> {
      m = MatMul(q, k)
      y = Mul(s, m)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[3,4] q, float[4,3] k) => (float[3,3] y) <float[1] s = {3.0}> {
      y = com.microsoft.FusedMatMul<alpha = 3.0, transA = 0, transB = 0>(q, k)
    }
  )", kTolerance});
}

TEST(FuseMatmulScaleOrt, TransposeAndScalesTogether) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] q, float[2,5,4] k) => (float[2,3,5] y) <float s = {0.5}, float d = {4.0}> {
      kt = Transpose<perm = [0, 2, 1]>(k)
      q2 = Mul(q, s)
      m = MatMul(q2, kt)
      y = Div(m, d)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[2,3,4] q, float[2,5,4] k) => (float[2,3,5] y) <float s = {0.5}, float d = {4.0}> {
      y = com.microsoft.FusedMatMul<alpha = 0.125, transA = 0, transB = 1>(q, k)
    }
  )", kTolerance}), 1u);
}

TEST(FuseMatmulScaleOrt, ScaledAndTransposedSameInputInEitherOrder) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[4,3] a, float[4,5] b) => (float[3,5] y) {
      s = Constant<value = float {2.0}>()
      at = Transpose<perm = [1, 0]>(a)
      as = Mul(s, at)
      bs = Div(b, s)
      m = MatMul(as, bs)
      y = Neg(m)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[4,3] a, float[4,5] b) => (float[3,5] y) {
      s = Constant<value = float {2.0}>()
      m = com.microsoft.FusedMatMul<alpha = 1.0, transA = 1, transB = 0>(a, b)
      y = Neg(m)
    }
  )", kTolerance});
}

TEST(FuseMatmulScaleOrt, ExistingFusedMatMulAbsorbsMore) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y) <float d = {2.0}> {
      at = Transpose(a)
      m = com.microsoft.FusedMatMul<alpha = 3.0, transA = 1>(at, b)
      y = Div(m, d)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y) <float d = {2.0}> {
      y = com.microsoft.FusedMatMul<alpha = 1.5, transA = 0, transB = 0>(a, b)
    }
  )", kTolerance});
}

TEST(FuseMatmulScaleOrt, DoubleTransposeCancels) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y) {
      at = Transpose<perm = [1, 0]>(a)
      y = com.microsoft.FusedMatMul<alpha = 1.0, transA = 1, transB = 0>(at, b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y) {
      y = com.microsoft.FusedMatMul<alpha = 1.0, transA = 0, transB = 0>(a, b)
    }
  )", kTolerance});
}

TEST(FuseMatmulScaleOrt, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool k, float[3,4] a, float[5,4] b) => (float[3,5] y) {
      y = If(k) <then_branch = t () => (float[3,5] o) { bt = Transpose(b)  o = MatMul(a, bt) },
                  else_branch = e () => (float[3,5] p) { bt2 = Transpose(b)  p = MatMul(a, bt2) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (bool k, float[3,4] a, float[5,4] b) => (float[3,5] y) {
      y = If(k) <then_branch = t () => (float[3,5] o) {
                    o = com.microsoft.FusedMatMul<alpha = 1.0, transA = 0, transB = 1>(a, b)
                  },
                  else_branch = e () => (float[3,5] p) {
                    p = com.microsoft.FusedMatMul<alpha = 1.0, transA = 0, transB = 1>(a, b)
                  }>
    }
  )", kTolerance});
}

TEST(FuseMatmulScaleOrt, KeepsPlainMatMul) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y) {
      y = MatMul(a, b)
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsTransposesOfOtherAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] a, float[3,4,2] b) => (float[3,2,2] y) {
      at = Transpose<perm = [1, 0, 2]>(a)
      y = MatMul(at, b)
    }
  )", kPass, ""});
  // Without perm a rank-3 Transpose reverses all axes.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[4,3,2] a, float[2,4,5] b) => (float[2,3,5] y) {
      at = Transpose(a)
      y = MatMul(at, b)
    }
  )", kPass, ""});
  // Without perm and without a known rank.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[4,3] a, float[4,5] b) => (float[3,5] y) {
      n = Neg(a)
      at = Transpose(n)
      y = MatMul(at, b)
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsTransposeOrScaleWithOtherUses) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[4,3] a, float[4,5] b) => (float[3,5] y, float[3,4] at) {
      at = Transpose<perm = [1, 0]>(a)
      y = MatMul(at, b)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y, float[3,5] m) <float d = {2.0}> {
      m = MatMul(a, b)
      y = Div(m, d)
    }
  )", kPass, ""});
  // The same Transpose feeds both inputs.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,3] a) => (float[3,3] y) {
      at = Transpose<perm = [1, 0]>(a)
      y = MatMul(at, at)
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsScalesThatAreNotScalarConstants) {
  // Two elements.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,2] a, float[2,5] b) => (float[3,5] y) <float[2] s = {2.0, 3.0}> {
      as = Mul(a, s)
      y = MatMul(as, b)
    }
  )", kPass, ""});
  // One element of a rank above the operand's: broadcasting would change the shape.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,4] a, float[4,5] b) => (float[1,3,5] y) <float[1,1,1] s = {2.0}> {
      m = MatMul(a, b)
      y = Mul(m, s)
    }
  )", kPass, ""});
  // Not a constant.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,4] a, float[4,5] b, float s) => (float[3,5] y) {
      m = MatMul(a, b)
      y = Mul(m, s)
    }
  )", kPass, ""});
  // The constant divided by the product is not a scaling; nor is a scale of 0.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[3,4] a, float[4,5] b) => (float[3,5] y, float[3,5] z) <float s = {2.0}, float zero = {0.0}> {
      m = MatMul(a, b)
      y = Div(s, m)
      n = MatMul(a, b)
      z = Mul(n, zero)
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsNonFloatMatMul) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (double[4,3] a, double[4,5] b) => (double[3,5] y) {
      at = Transpose(a)
      y = MatMul(at, b)
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsFusedMatMulWithBatchTransposition) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[3,2,4] a, float[2,4,5] b) => (float[2,3,5] y) <float d = {2.0}> {
      m = com.microsoft.FusedMatMul<transBatchA = 1>(a, b)
      y = Div(m, d)
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsScaleInAnotherGraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool k, float[3,4] a, float[4,5] b) => (float[3,5] y) <float d = {2.0}> {
      m = MatMul(a, b)
      y = If(k) <then_branch = t () => (float[3,5] o) { o = Div(m, d) },
                  else_branch = e () => (float[3,5] p) { p = Neg(m) }>
    }
  )", kPass, ""});
}

TEST(FuseMatmulScaleOrt, KeepsModelsImportingAnotherMicrosoftVersion) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 2]>
    g (float[4,3] a, float[4,5] b) => (float[3,5] y) {
      at = Transpose(a)
      y = MatMul(at, b)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
