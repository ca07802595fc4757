#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-matmul-add-into-gemm"};
const runtime::Tolerance kTolerance{1e-5, 1e-5};

TEST(FuseMatmulAddIntoGemm, BiasVector) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      y = Gemm(a, b, c)
    }
  )", kTolerance}), 1u);
}

TEST(FuseMatmulAddIntoGemm, AddendFirstAndEveryBroadcastableShape) {
  for (const char* c : {"float[1,2] c = {1, 2}", "float[4,1] c = {1, 2, 3, 4}", "float c = {3}", "float[1] c = {3}",
                        "float[4,2] c = {1, 2, 3, 4, 5, 6, 7, 8}", "float[1,1] c = {3}"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[4,3] a) => (float[4,2] y)
      <float[3,2] b = {{1, 2, 3, 4, 5, 6}}, {}>
      {{
        t = MatMul(a, b)
        y = Add(c, t)
      }}
    )", c), kPass, fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[4,3] a) => (float[4,2] y)
      <float[3,2] b = {{1, 2, 3, 4, 5, 6}}, {}>
      {{
        y = Gemm(a, b, c)
      }}
    )", c), kTolerance});
  }
}

TEST(FuseMatmulAddIntoGemm, NonConstantAddendWithKnownShapeAndSymbolicRows) {
  // M is symbolic: c may not vary along it, but [N] and [1, N] are fine.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[M,3] a, float[3,2] b, float[1,2] c) => (float[M,2] y)
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[M,3] a, float[3,2] b, float[1,2] c) => (float[M,2] y)
    {
      y = Gemm(a, b, c)
    }
  )", kTolerance});
}

TEST(FuseMatmulAddIntoGemm, KeepsTheTypeOfAnInnerValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}, float[4,2] s>
    {
      t = MatMul(a, b)
      s = Add(t, c)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}, float[4,2] s>
    {
      s = Gemm(a, b, c)
      y = Relu(s)
    }
  )", kTolerance});
}

TEST(FuseMatmulAddIntoGemm, IntegerTypesFromOpset11) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (int32[4,3] a) => (int32[4,2] y)
    <int32[3,2] b = {1, 2, 3, 4, 5, 6}, int32[2] c = {7, -7}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (int32[4,3] a) => (int32[4,2] y)
    <int32[3,2] b = {1, 2, 3, 4, 5, 6}, int32[2] c = {7, -7}>
    {
      y = Gemm(a, b, c)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 10]>
    g (int32[4,3] a) => (int32[4,2] y)
    <int32[3,2] b = {1, 2, 3, 4, 5, 6}, int32[2] c = {7, -7}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, ""});
}

TEST(FuseMatmulAddIntoGemm, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool p, float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      y = If(p) <then_branch = t () => (float[4,2] v) { m = MatMul(a, b)  v = Add(m, c) },
                  else_branch = e () => (float[4,2] w) { w = MatMul(a, b) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool p, float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      y = If(p) <then_branch = t () => (float[4,2] v) { v = Gemm(a, b, c) },
                  else_branch = e () => (float[4,2] w) { w = MatMul(a, b) }>
    }
  )", kTolerance});
}

// ----- Does not apply -----

TEST(FuseMatmulAddIntoGemm, KeepsBatchedOrVectorMatMul) {
  // a of rank 3 (a linear layer over [batch, seq, features]) is not 2-D; nor is a 1-D operand.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4,3] a) => (float[2,4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3] a) => (float[2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, ""});
}

TEST(FuseMatmulAddIntoGemm, KeepsUnknownRanks) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a0) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      a = Identity(a0)
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, ""});
}

TEST(FuseMatmulAddIntoGemm, KeepsAddendsThatGrowTheProduct) {
  for (const char* c : {"float[3,4,2] c = {1,2,3,4,5,6,7,8,1,2,3,4,5,6,7,8,1,2,3,4,5,6,7,8}", "float[2,4,1] c = {1,2,3,4,5,6,7,8}"}) {
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 13]>
      g (float[4,3] a) => (float[M,N,2] y)
      <float[3,2] b = {{1, 2, 3, 4, 5, 6}}, {}>
      {{
        t = MatMul(a, b)
        y = Add(t, c)
      }}
    )", c), kPass, ""});
  }
  // The product has one column (N = 1): c of shape [3] would broadcast it to [4, 3].
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a) => (float[4,3] y)
    <float[3,1] b = {1, 2, 3}, float[3] c = {1, 2, 3}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, ""});
  // Rows are symbolic: c with 4 rows could broadcast a 1-row product.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[M,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[4,1] c = {1, 2, 3, 4}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseMatmulAddIntoGemm, KeepsAddendsOfUnknownShape) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[K] c) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseMatmulAddIntoGemm, KeepsAProductUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a) => (float[4,2] y, float[4,2] t)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, ""});
}

TEST(FuseMatmulAddIntoGemm, KeepsOldOpsetsAndOtherTypes) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[4,3] a) => (float[4,2] y)
    <float[3,2] b = {1, 2, 3, 4, 5, 6}, float[2] c = {0.5, -0.5}>
    {
      t = MatMul(a, b)
      y = Add<broadcast = 1>(t, c)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (int8[4,3] a) => (int8[4,2] y)
    <int8[3,2] b = {1, 2, 3, 4, 5, 6}, int8[2] c = {1, 2}>
    {
      t = MatMul(a, b)
      y = Add(t, c)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
