#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-gemm-activation-ort"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

// `text` with its "%s" replaced by `value`.
std::string Fill(std::string text, std::string_view value) { return text.replace(text.find("%s"), 2, value); }

TEST(FuseGemmActivationOrt, GemmRelu) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[3,4] b, float[4] c) => (float[2,4] y) {
      t = Gemm(a, b, c)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[2,3] a, float[3,4] b, float[4] c) => (float[2,4] y) {
      y = com.microsoft.FusedGemm<activation = "Relu">(a, b, c)
    }
  )", kTolerance}), 1u);
}

TEST(FuseGemmActivationOrt, KeepsGemmAttributesAndWritesDefaultParameters) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[4,3] b, float[2,1] c) => (float[2,4] y) <float[2,4] r> {
      t = Gemm<transB = 1, alpha = 0.5, beta = 2.0>(a, b, c)
      r = LeakyRelu(t)
      y = Neg(r)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[2,3] a, float[4,3] b, float[2,1] c) => (float[2,4] y) <float[2,4] r> {
      r = com.microsoft.FusedGemm<transB = 1, alpha = 0.5, beta = 2.0, activation = "LeakyRelu",
                                  activation_alpha = 0.01>(a, b, c)
      y = Neg(r)
    }
  )", kTolerance});
}

TEST(FuseGemmActivationOrt, Activations) {
  const char* input = R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3,2] a, float[3,4] b) => (float[2,4] y) {
      t = Gemm<transA = 1>(a, b)
      y = %s
    }
  )";
  const char* output = R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[3,2] a, float[3,4] b) => (float[2,4] y) {
      y = com.microsoft.FusedGemm<transA = 1, %s>(a, b)
    }
  )";
  struct Case {
    const char* activation;
    const char* attributes;
  };
  for (const Case& c : {
           Case{"Sigmoid(t)", R"(activation = "Sigmoid")"},
           Case{"Tanh(t)", R"(activation = "Tanh")"},
           Case{"Softsign(t)", R"(activation = "Softsign")"},
           Case{"Softplus(t)", R"(activation = "Softplus")"},
           Case{"LeakyRelu<alpha = 0.2>(t)", R"(activation = "LeakyRelu", activation_alpha = 0.2)"},
           Case{"HardSigmoid(t)", R"(activation = "HardSigmoid", activation_alpha = 0.2, activation_beta = 0.5)"},
           Case{"Elu<alpha = 0.5>(t)", R"(activation = "Elu", activation_alpha = 0.5)"},
           Case{"Elu(t)", R"(activation = "Elu", activation_alpha = 1.0)"},
           Case{"Selu(t)", R"(activation = "Selu", activation_alpha = 1.67326319217681884765625,
                                activation_gamma = 1.05070102214813232421875)"},
           Case{"Selu<alpha = 1.5, gamma = 2.0>(t)", R"(activation = "Selu", activation_alpha = 1.5,
                                                      activation_gamma = 2.0)"},
           Case{"ThresholdedRelu<alpha = 0.1>(t)", R"(activation = "ThresholdedRelu", activation_alpha = 0.1)"},
       }) {
    SCOPED_TRACE(c.activation);
    CheckPassCase({Fill(input, c.activation), kPass, Fill(output, c.attributes), kTolerance});
  }
}

TEST(FuseGemmActivationOrt, Opset7WithRequiredC) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 7]>
    g (float[2,3] a, float[3,4] b, float[1,4] c) => (float[2,4] y) {
      t = Gemm(a, b, c)
      y = Tanh(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 7, "com.microsoft" : 1]>
    g (float[2,3] a, float[3,4] b, float[1,4] c) => (float[2,4] y) {
      y = com.microsoft.FusedGemm<activation = "Tanh">(a, b, c)
    }
  )", kTolerance});
}

TEST(FuseGemmActivationOrt, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool k, float[2,3] a, float[3,4] b) => (float[2,4] y) {
      y = If(k) <then_branch = t () => (float[2,4] o) { m = Gemm(a, b)  o = Relu(m) },
                  else_branch = e () => (float[2,4] p) { p = Gemm(a, b) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (bool k, float[2,3] a, float[3,4] b) => (float[2,4] y) {
      y = If(k) <then_branch = t () => (float[2,4] o) { o = com.microsoft.FusedGemm<activation = "Relu">(a, b) },
                  else_branch = e () => (float[2,4] p) { p = Gemm(a, b) }>
    }
  )", kTolerance});
}

TEST(FuseGemmActivationOrt, KeepsGemmWhoseOutputHasOtherUses) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[3,4] b) => (float[2,4] y, float[2,4] t) {
      t = Gemm(a, b)
      y = Relu(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[3,4] b) => (float[2,4] y, float[2,4] z) {
      t = Gemm(a, b)
      y = Relu(t)
      z = Sigmoid(t)
    }
  )", kPass, ""});
}

TEST(FuseGemmActivationOrt, KeepsNonFloatGemm) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (double[2,3] a, double[3,4] b) => (double[2,4] y) {
      t = Gemm(a, b)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(FuseGemmActivationOrt, KeepsGemmBeforeOpset7) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 6]>
    g (float[2,3] a, float[3,4] b, float[4] c) => (float[2,4] y) {
      t = Gemm<broadcast = 1>(a, b, c)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(FuseGemmActivationOrt, KeepsUnsupportedActivations) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[3,4] b) => (float[2,4] y) {
      t = Gemm(a, b)
      y = Celu(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[3,4] b, float lo, float hi) => (float[2,4] y) {
      t = Gemm(a, b)
      y = Clip(t, lo, hi)
    }
  )", kPass, ""});
}

TEST(FuseGemmActivationOrt, KeepsGemmWithAttributesFusedGemmDoesNotDefine) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a, float[3,4] b) => (float[2,4] y) {
      t = Gemm<custom = 1>(a, b)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(FuseGemmActivationOrt, KeepsActivationInAnotherGraphThanTheGemm) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool k, float[2,3] a, float[3,4] b) => (float[2,4] y) {
      t = Gemm(a, b)
      y = If(k) <then_branch = th () => (float[2,4] o) { o = Relu(t) },
                  else_branch = el () => (float[2,4] p) { p = Neg(t) }>
    }
  )", kPass, ""});
}

TEST(FuseGemmActivationOrt, KeepsModelsImportingAnotherMicrosoftVersion) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 2]>
    g (float[2,3] a, float[3,4] b) => (float[2,4] y) {
      t = Gemm(a, b)
      y = Relu(t)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
