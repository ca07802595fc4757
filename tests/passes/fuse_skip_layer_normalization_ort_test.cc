#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-skip-layer-normalization-ort"};
const runtime::Tolerance kTolerance{1e-4, 1e-5};

TEST(FuseSkipLayerNormalizationOrt, AddThenLayerNormalization) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] gamma, float[4] beta) => (float[2,3,4] y) {
      s = Add(a, b)
      y = LayerNormalization<axis = -1, epsilon = 1e-12>(s, gamma, beta)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] gamma, float[4] beta) => (float[2,3,4] y) {
      y = com.microsoft.SkipLayerNormalization<epsilon = 1e-12>(a, b, gamma, beta)
    }
  )", kTolerance}), 1u);
}

TEST(FuseSkipLayerNormalizationOrt, WithBiasBelowOpset17) {
  // LayerNormalization at opset 14 is ONNX Runtime's (what fuse-layer-normalization-ort writes).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[B,S,4] a, float[B,S,4] b, float[4] bias, float[4] gamma, float[4] beta) => (float[B,S,4] y) {
      t = Add(a, b)
      s = Add(bias, t)
      y = LayerNormalization<axis = 2>(s, gamma, beta)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[B,S,4] a, float[B,S,4] b, float[4] bias, float[4] gamma, float[4] beta) => (float[B,S,4] y) {
      y = com.microsoft.SkipLayerNormalization<epsilon = 1e-5>(a, b, gamma, beta, bias)
    }
  )", kTolerance});
}

TEST(FuseSkipLayerNormalizationOrt, ResidualStreamTakesTheSumOutput) {
  // The sum goes on to the next block: it becomes output 3, keeping its name and value_info.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] gamma) => (float[2,3,4] z) <float[2,3,4] s, float[2,3,4] y> {
      s = Add(a, b)
      y = LayerNormalization(s, gamma)
      z = Add(s, y)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] gamma) => (float[2,3,4] z) <float[2,3,4] y, float[2,3,4] s> {
      y, , , s = com.microsoft.SkipLayerNormalization<epsilon = 1e-5>(a, b, gamma)
      z = Add(s, y)
    }
  )", kTolerance});
  // The sum is a graph output.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[3,4] a, float[3,4] b, float[4] gamma, float[4] bias) => (float[3,4] y, float[3,4] s) {
      t = Add(a, b)
      s = Add(t, bias)
      y = LayerNormalization(s, gamma)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
    g (float[3,4] a, float[3,4] b, float[4] gamma, float[4] bias) => (float[3,4] y, float[3,4] s) {
      y, , , s = com.microsoft.SkipLayerNormalization<epsilon = 1e-5>(a, b, gamma, , bias)
    }
  )", kTolerance});
}

TEST(FuseSkipLayerNormalizationOrt, KeepsDouble) {
  // ONNX Runtime's SkipLayerNormalization schema does not accept double.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (double[2,3,4] a, double[2,3,4] b, double[4] gamma, double[4] beta) => (double[2,3,4] y) {
      s = Add(a, b)
      y = LayerNormalization<epsilon = 1e-6>(s, gamma, beta)
    }
  )", kPass, ""});
}

TEST(FuseSkipLayerNormalizationOrt, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool k, float[3,4] a, float[3,4] b, float[4] gamma) => (float[3,4] y) {
      y = If(k) <then_branch = t () => (float[3,4] o) { s = Add(a, b)  o = LayerNormalization(s, gamma) },
                  else_branch = e () => (float[3,4] p) { p = Neg(a) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 1]>
    g (bool k, float[3,4] a, float[3,4] b, float[4] gamma) => (float[3,4] y) {
      y = If(k) <then_branch = t () => (float[3,4] o) {
                    o = com.microsoft.SkipLayerNormalization<epsilon = 1e-5>(a, b, gamma)
                  },
                  else_branch = e () => (float[3,4] p) { p = Neg(a) }>
    }
  )", kTolerance});
}

TEST(FuseSkipLayerNormalizationOrt, KeepsAddsThatBroadcastOrHaveUnsupportedRanks) {
  for (std::string_view signature :
       {"(float[2,3,4] a, float[4] b, float[4] gamma) => (float[2,3,4] y)",
        "(float[2,3,4] a, float[1,3,4] b, float[4] gamma) => (float[2,3,4] y)",
        "(float[2,3,4] a, float[2,3,N] b, float[4] gamma) => (float[2,3,4] y)",
        "(float[2,2,3,4] a, float[2,2,3,4] b, float[4] gamma) => (float[2,2,3,4] y)",
        "(float[4] a, float[4] b, float[4] gamma) => (float[4] y)",
        "(float[2,3,4] a, float[2,3,4] b, float[1,4] gamma) => (float[2,3,4] y)",
        "(float[2,3,4] a, float[2,3,4] b, double[4] gamma) => (float[2,3,4] y)",
        "(int32[2,3,4] a, int32[2,3,4] b, int32[4] gamma) => (int32[2,3,4] y)"}) {
    SCOPED_TRACE(signature);
    bool runs = signature.find('N') == std::string_view::npos && signature.find("double") == std::string_view::npos &&
                signature.find("int32") == std::string_view::npos && signature.find("[1,4]") == std::string_view::npos;
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g {} {{
        s = Add(a, b)
        y = LayerNormalization(s, gamma)
      }}
    )", signature), kPass, "", std::nullopt, runs});
  }
}

TEST(FuseSkipLayerNormalizationOrt, KeepsLayerNormalizationOverMoreThanTheLastAxis) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] a, float[2,3,4] b, float[3,4] gamma) => (float[2,3,4] y) {
      s = Add(a, b)
      y = LayerNormalization<axis = 1>(s, gamma)
    }
  )", kPass, ""});
}

TEST(FuseSkipLayerNormalizationOrt, KeepsLayerNormalizationWhoseStatisticsAreUsed) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] gamma) => (float[2,3,4] y, float[2,3,1] mean) {
      s = Add(a, b)
      y, mean = LayerNormalization(s, gamma)
    }
  )", kPass, ""});
}

TEST(FuseSkipLayerNormalizationOrt, BiasAddOverASharedSumIsNotFused) {
  // t has another use, so the bias cannot be folded into SkipLayerNormalization, and t + bias
  // alone is not a sum of two same-shape tensors.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] bias, float[4] gamma) => (float[2,3,4] y, float[2,3,4] t) {
      t = Add(a, b)
      s = Add(t, bias)
      y = LayerNormalization(s, gamma)
    }
  )", kPass, ""});
}

TEST(FuseSkipLayerNormalizationOrt, KeepsAddInAnotherGraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool k, float[3,4] a, float[3,4] b, float[4] gamma) => (float[3,4] y) {
      s = Add(a, b)
      y = If(k) <then_branch = t () => (float[3,4] o) { o = LayerNormalization(s, gamma) },
                  else_branch = e () => (float[3,4] p) { p = Neg(s) }>
    }
  )", kPass, ""});
}

TEST(FuseSkipLayerNormalizationOrt, KeepsModelsImportingAnotherMicrosoftVersion) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17, "com.microsoft" : 2]>
    g (float[2,3,4] a, float[2,3,4] b, float[4] gamma) => (float[2,3,4] y) {
      s = Add(a, b)
      y = LayerNormalization(s, gamma)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
