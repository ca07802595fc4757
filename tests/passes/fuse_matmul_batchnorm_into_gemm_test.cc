#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-matmul-batchnorm-into-gemm", "eliminate-dead-nodes"};
const runtime::Tolerance kTolerance{1e-5, 1e-5};

// epsilon 1 and var 3: s = scale / 2 exactly.
TEST(FuseMatmulBatchnormIntoGemm, ScalesColumnsAndFoldsBias) {
  // W: [K = 3, N = 2]; s = {1, 2}: column n scaled by s[n]; b' = bias - mean * s.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[4,3] x) => (float[4,2] y)
    <float[3,2] W = {1, 2, 3, 4, 5, 6}, float[2] scale = {2, 4}, float[2] bias = {1, -1},
     float[2] mean = {0.5, 0.25}, float[2] var = {3, 3}>
    {
      t = MatMul(x, W)
      y = BatchNormalization<epsilon = 1.0>(t, scale, bias, mean, var)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[4,3] x) => (float[4,2] y)
    <float[3,2] W__1 = {1, 4, 3, 8, 5, 12}, float[2] t_bias = {0.5, -1.5}>
    {
      y = Gemm(x, W__1, t_bias)
    }
  )", kTolerance});
}

TEST(FuseMatmulBatchnormIntoGemm, SymbolicBatchOldOpsetAndInnerValue) {
  CheckPassCase({R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[B,3] x) => (float[B,2] y)
    <float[3,2] W = {1, 2, 3, 4, 5, 6}, float[2] scale = {2, 4}, float[2] bias = {1, -1},
     float[2] mean = {0.5, 0.25}, float[2] var = {3, 3}>
    {
      t = MatMul(x, W)
      n = BatchNormalization<epsilon = 1.0>(t, scale, bias, mean, var)
      y = Relu(n)
    }
  )", kPass, R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[B,3] x) => (float[B,2] y)
    <float[3,2] W__1 = {1, 4, 3, 8, 5, 12}, float[2] t_bias = {0.5, -1.5}>
    {
      n = Gemm(x, W__1, t_bias)
      y = Relu(n)
    }
  )", kTolerance});
}

TEST(FuseMatmulBatchnormIntoGemm, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (bool p, float[4,3] x) => (float[4,2] y)
    <float[3,2] W = {1, 2, 3, 4, 5, 6}, float[2] scale = {2, 4}, float[2] bias = {1, -1},
     float[2] mean = {0.5, 0.25}, float[2] var = {3, 3}>
    {
      y = If(p) <then_branch = a () => (float[4,2] v) {
                    t = MatMul(x, W)
                    v = BatchNormalization<epsilon = 1.0>(t, scale, bias, mean, var)
                  },
                  else_branch = b () => (float[4,2] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (bool p, float[4,3] x) => (float[4,2] y)
    {
      y = If(p) <then_branch = a () => (float[4,2] v)
                    <float[3,2] W__1 = {1, 4, 3, 8, 5, 12}, float[2] t_bias = {0.5, -1.5}> {
                    v = Gemm(x, W__1, t_bias)
                  },
                  else_branch = b () => (float[4,2] w) { w = Neg(x) }>
    }
  )", kTolerance, /*run_numerically=*/false});  // the branches' shapes differ on purpose
}

// ----- Does not apply -----

std::string Model(std::string_view x_type, std::string_view body, std::string_view opset = "15",
                  std::string_view outputs = "") {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g ({} x) => (float[4,2] y{})
    <float[3,2] W = {{1, 2, 3, 4, 5, 6}}, float[2] scale = {{2, 4}}, float[2] bias = {{1, -1}},
     float[2] mean = {{0.5, 0.25}}, float[2] var = {{3, 3}}>
    {{
      {}
    }}
  )", opset, x_type, outputs, body);
}

TEST(FuseMatmulBatchnormIntoGemm, KeepsInputsThatAreNotKnownToBe2D) {
  // Rank 3: BatchNormalization would normalize axis 1, not the MatMul's features.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[2,2,3] x) => (float[2,2,2] y)
    <float[3,2] W = {1, 2, 3, 4, 5, 6}, float[2] scale = {2, 4}, float[2] bias = {1, -1},
     float[2] mean = {0.5, 0.25}, float[2] var = {3, 3}>
    {
      t = MatMul(x, W)
      y = BatchNormalization(t, scale, bias, mean, var)
    }
  )", kPass, ""});
  CheckPassCase({Model("float[4,3]", "x2 = Identity(x)\n t = MatMul(x2, W)\n y = BatchNormalization(t, scale, bias, mean, var)"),
                   kPass, ""});
}

TEST(FuseMatmulBatchnormIntoGemm, KeepsTrainingFormsAndOldOpsets) {
  CheckPassCase({Model("float[4,3]", "t = MatMul(x, W)\n y, m, v = BatchNormalization<training_mode = 1>(t, scale, bias, mean, var)"),
                   kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({Model("float[4,3]", "t = MatMul(x, W)\n y = BatchNormalization<is_test = 1>(t, scale, bias, mean, var)", "6"),
                   kPass, "", std::nullopt, /*run_numerically=*/false});  // Gemm-6 does not broadcast C by itself
}

TEST(FuseMatmulBatchnormIntoGemm, KeepsSharedOrNonConstantWeights) {
  CheckPassCase({Model("float[4,3]", "t = MatMul(x, W)\n y = BatchNormalization(t, scale, bias, mean, var)\n z = MatMul(x, W)",
                         "15", ", float[4,2] z"),
                   kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[4,3] x, float[3,2] W) => (float[4,2] y)
    <float[2] scale = {2, 4}, float[2] bias = {1, -1}, float[2] mean = {0.5, 0.25}, float[2] var = {3, 3}>
    {
      t = MatMul(x, W)
      y = BatchNormalization(t, scale, bias, mean, var)
    }
  )", kPass, ""});
}

TEST(FuseMatmulBatchnormIntoGemm, KeepsAProductUsedElsewhere) {
  CheckPassCase({Model("float[4,3]", "t = MatMul(x, W)\n y = BatchNormalization(t, scale, bias, mean, var)", "15",
                         ", float[4,2] t"),
                   kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
