#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-convtranspose-batchnorm", "eliminate-dead-nodes"};
const runtime::Tolerance kTolerance{1e-5, 1e-5};

// BatchNormalization with epsilon 1 and var 3: s = scale / 2 exactly.
TEST(FuseConvtransposeBatchnorm, ScalesAlongAxisOne) {
  // W: [C_in = 2, M = 3, 1, 1]; s = {1, 2, 3} applies to W[:, j].
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,2,2,2] x) => (float[1,3,2,2] y)
    <float[2,3,1,1] W = {1, 2, 3, 4, 5, 6}, float[3] B = {1, 1, 1}, float[3] scale = {2, 4, 6},
     float[3] bias = {0.5, 0.5, 0.5}, float[3] mean = {0, 1, 2}, float[3] var = {3, 3, 3}>
    {
      c = ConvTranspose(x, W, B)
      y = BatchNormalization<epsilon = 1.0>(c, scale, bias, mean, var)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,2,2,2] x) => (float[1,3,2,2] y)
    <float[2,3,1,1] W__1 = {1, 4, 9, 4, 10, 18}, float[3] B__2 = {1.5, 0.5, -2.5}>
    {
      y = ConvTranspose(x, W__1, B__2)
    }
  )", kTolerance});
}

TEST(FuseConvtransposeBatchnorm, GroupedWeightScalesPerGroup) {
  // group 2, W: [C_in = 4, M/group = 1, 1, 1]: input channels 0, 1 feed output channel 0 and
  // input channels 2, 3 feed output channel 1. s = {1, 2}.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,4,2,2] x) => (float[1,2,3,3] y)
    <float[4,1,2,2] W = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4}, float[2] scale = {2, 4},
     float[2] bias = {0, 0}, float[2] mean = {1, 1}, float[2] var = {3, 3}>
    {
      c = ConvTranspose<group = 2>(x, W)
      y = BatchNormalization<epsilon = 1.0>(c, scale, bias, mean, var)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,4,2,2] x) => (float[1,2,3,3] y)
    <float[4,1,2,2] W__1 = {1, 1, 1, 1, 2, 2, 2, 2, 6, 6, 6, 6, 8, 8, 8, 8}, float[2] c_bias = {-1, -2}>
    {
      y = ConvTranspose<group = 2>(x, W__1, c_bias)
    }
  )", kTolerance});
}

TEST(FuseConvtransposeBatchnorm, GroupedWithSeveralOutputsPerGroup) {
  // group 2, W: [4, 2, 1, 1]: M = 4; input channel c, column j -> output channel (c / 2) * 2 + j.
  // Irregular factors: the expected values are s[m] = scale[m] / sqrt(var[m] + 1e-5) computed in
  // double and rounded to float.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,4,3,3] x) => (float[1,4,3,3] y)
    <float[4,2,1,1] W = {1, -2, 3, 0.5, -1, 2, 0.25, 4}, float[4] B = {0.1, 0.2, 0.3, 0.4},
     float[4] scale = {1.5, -0.5, 2, 0.75}, float[4] bias = {1, 2, 3, 4}, float[4] mean = {0.5, -0.5, 1, 0},
     float[4] var = {0.25, 1, 4, 2}>
    {
      c = ConvTranspose<group = 2>(x, W, B)
      y = BatchNormalization(c, scale, bias, mean, var)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,4,3,3] x) => (float[1,4,3,3] y)
    <float[4,2,1,1] W__1 = {2.99993992, 0.999994993, 8.99981976, -0.249998748, -0.999998748, 1.0606575,
                            0.249999687, 2.121315},
     float[4] B__2 = {-0.199975997, 1.65000176, 2.30000091, 4.2121315}>
    {
      y = ConvTranspose<group = 2>(x, W__1, B__2)
    }
  )", kTolerance});
}

TEST(FuseConvtransposeBatchnorm, OldOpsetsInInferenceForm) {
  for (const char* header : {R"(<ir_version: 3, opset_import: ["" : 6]>)", R"(<ir_version: 4, opset_import: ["" : 9]>)"}) {
    const char* is_test = std::string_view(header).find(": 6]") != std::string_view::npos ? "<is_test = 1, epsilon = 1.0>"
                                                                                        : "<epsilon = 1.0>";
    CheckPassCase({fmt::format(R"(
      {}
      g (float[1,2,2,2] x) => (float[1,3,2,2] y)
      <float[2,3,1,1] W = {{1, 2, 3, 4, 5, 6}}, float[3] scale = {{2, 4, 6}},
       float[3] bias = {{0, 0, 0}}, float[3] mean = {{0, 0, 0}}, float[3] var = {{3, 3, 3}}>
      {{
        c = ConvTranspose(x, W)
        y = BatchNormalization{}(c, scale, bias, mean, var)
      }}
    )", header, is_test), kPass, fmt::format(R"(
      {}
      g (float[1,2,2,2] x) => (float[1,3,2,2] y)
      <float[2,3,1,1] W__1 = {{1, 4, 9, 4, 10, 18}}, float[3] c_bias = {{0, 0, 0}}>
      {{
        y = ConvTranspose(x, W__1, c_bias)
      }}
    )", header), kTolerance});
  }
}

TEST(FuseConvtransposeBatchnorm, InsideSubgraphAndInnerValueName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (bool b, float[1,2,2,2] x) => (float[1,3,2,2] y)
    <float[2,3,1,1] W = {1, 2, 3, 4, 5, 6}, float[3] scale = {2, 4, 6},
     float[3] bias = {0, 0, 0}, float[3] mean = {0, 0, 0}, float[3] var = {3, 3, 3}>
    {
      y = If(b) <then_branch = t () => (float[1,3,2,2] v) {
                    c = ConvTranspose(x, W)
                    n = BatchNormalization<epsilon = 1.0>(c, scale, bias, mean, var)
                    v = Relu(n)
                  },
                  else_branch = e () => (float[1,3,2,2] w) { w = Sigmoid(scale) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (bool b, float[1,2,2,2] x) => (float[1,3,2,2] y)
    <float[3] scale = {2, 4, 6}>
    {
      y = If(b) <then_branch = t () => (float[1,3,2,2] v)
                    <float[2,3,1,1] W__1 = {1, 4, 9, 4, 10, 18}, float[3] c_bias = {0, 0, 0}> {
                    n = ConvTranspose(x, W__1, c_bias)
                    v = Relu(n)
                  },
                  else_branch = e () => (float[1,3,2,2] w) { w = Sigmoid(scale) }>
    }
  )", kTolerance, /*run_numerically=*/false});  // the branches' shapes differ on purpose
}

// ----- Does not apply -----

std::string Model(std::string_view bn, std::string_view outputs = "", std::string_view opset = "15",
                  std::string_view weight = "float[2,3,1,1] W = {1, 2, 3, 4, 5, 6}") {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g (float[1,2,2,2] x) => (float[1,3,2,2] y{})
    <{}, float[3] scale = {{2, 4, 6}}, float[3] bias = {{0, 0, 0}}, float[3] mean = {{0, 0, 0}}, float[3] var = {{3, 3, 3}}>
    {{
      c = ConvTranspose(x, W)
      {}
    }}
  )", opset, outputs, weight, bn);
}

TEST(FuseConvtransposeBatchnorm, KeepsTrainingForms) {
  CheckPassCase({Model("y, m, v = BatchNormalization<training_mode = 1>(c, scale, bias, mean, var)", "", "15"),
                   kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({Model("y, m, v = BatchNormalization(c, scale, bias, mean, var)", "", "9"), kPass, "",
                   std::nullopt, /*run_numerically=*/false});
  CheckPassCase({Model("y = BatchNormalization(c, scale, bias, mean, var)", "", "6"), kPass, "", std::nullopt,
                   /*run_numerically=*/false});  // is_test = 0
  CheckPassCase({Model("y = BatchNormalization<spatial = 0, is_test = 1>(c, scale, bias, mean, var)", "", "6"),
                   kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConvtransposeBatchnorm, KeepsSharedOrUsedValues) {
  CheckPassCase({Model("y = BatchNormalization(c, scale, bias, mean, var)", ", float[1,3,2,2] c"), kPass, ""});
  CheckPassCase({Model("n = BatchNormalization(c, scale, bias, mean, var)\n y = Add(n, W)"), kPass, "",
                   std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConvtransposeBatchnorm, KeepsMismatchedOrNonConstantParameters) {
  // Parameters sized for C_in (2) instead of M (3): a weight layout mix-up must not fuse.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,3,2,2] x) => (float[1,2,2,2] y)
    <float[3,2,1,1] W = {1, 2, 3, 4, 5, 6}, float[3] scale = {2, 4, 6}, float[3] bias = {0, 0, 0},
     float[3] mean = {0, 0, 0}, float[3] var = {3, 3, 3}>
    {
      c = ConvTranspose(x, W)
      y = BatchNormalization(c, scale, bias, mean, var)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,2,2,2] x, float[3] scale) => (float[1,3,2,2] y)
    <float[2,3,1,1] W = {1, 2, 3, 4, 5, 6}, float[3] bias = {0, 0, 0}, float[3] mean = {0, 0, 0}, float[3] var = {3, 3, 3}>
    {
      c = ConvTranspose(x, W)
      y = BatchNormalization(c, scale, bias, mean, var)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,2,2,2] x, float[2,3,1,1] W) => (float[1,3,2,2] y)
    <float[3] scale = {2, 4, 6}, float[3] bias = {0, 0, 0}, float[3] mean = {0, 0, 0}, float[3] var = {3, 3, 3}>
    {
      c = ConvTranspose(x, W)
      y = BatchNormalization(c, scale, bias, mean, var)
    }
  )", kPass, ""});
}

TEST(FuseConvtransposeBatchnorm, KeepsAConvInsteadOfConvTranspose) {
  // fuse-conv-batchnorm's job: this pass only matches ConvTranspose.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[1,2,2,2] x) => (float[1,3,2,2] y)
    <float[3,2,1,1] W = {1, 2, 3, 4, 5, 6}, float[3] scale = {2, 4, 6}, float[3] bias = {0, 0, 0},
     float[3] mean = {0, 0, 0}, float[3] var = {3, 3, 3}>
    {
      c = Conv(x, W)
      y = BatchNormalization(c, scale, bias, mean, var)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
