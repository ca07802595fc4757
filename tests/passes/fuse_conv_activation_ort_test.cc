#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "passes/pass_manager.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-conv-activation-ort"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

// `text` with its "%s" replaced by `value`.
std::string Fill(std::string text, std::string_view value) {
  return text.replace(text.find("%s"), 2, value);
}

TEST(FuseConvActivationOrt, ConvRelu) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2] b) => (float[1,2,3,3] y) {
      c = Conv<kernel_shape = [2, 2]>(x, w, b)
      y = Relu(c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2] b) => (float[1,2,3,3] y) {
      y = com.microsoft.FusedConv<kernel_shape = [2, 2], activation = "Relu">(x, w, b)
    }
  )", kTolerance}), 1u);
}

TEST(FuseConvActivationOrt, KeepsConvAttributesAndNameAndTheActivationOutputName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,4,5,5] x, float[4,2,3,3] w) => (float[1,4,3,3] y) <float[1,4,3,3] r> {
      c = Conv<group = 2, pads = [1, 1, 1, 1], strides = [2, 2], dilations = [1, 1]>(x, w)
      r = Sigmoid(c)
      y = Neg(r)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[1,4,5,5] x, float[4,2,3,3] w) => (float[1,4,3,3] y) <float[1,4,3,3] r> {
      r = com.microsoft.FusedConv<group = 2, pads = [1, 1, 1, 1], strides = [2, 2], dilations = [1, 1],
                                  activation = "Sigmoid">(x, w)
      y = Neg(r)
    }
  )", kTolerance});
}

TEST(FuseConvActivationOrt, Activations) {
  const char* input = R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2] b) => (float[1,2,3,3] y) {
      c = Conv(x, w, b)
      y = %s
    }
  )";
  const char* output = R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2] b) => (float[1,2,3,3] y) {
      y = com.microsoft.FusedConv<%s>(x, w, b)
    }
  )";
  struct Case {
    const char* activation;
    const char* attributes;
  };
  for (const Case& c : {Case{"Tanh(c)", R"(activation = "Tanh")"},
                        Case{"LeakyRelu(c)", R"(activation = "LeakyRelu", activation_params = [0.01])"},
                        Case{"LeakyRelu<alpha = 0.25>(c)", R"(activation = "LeakyRelu", activation_params = [0.25])"},
                        Case{"HardSigmoid(c)", R"(activation = "HardSigmoid", activation_params = [0.2, 0.5])"},
                        Case{"HardSigmoid<alpha = 0.3, beta = 0.6>(c)",
                             R"(activation = "HardSigmoid", activation_params = [0.3, 0.6])"}}) {
    SCOPED_TRACE(c.activation);
    CheckPassCase({Fill(input, c.activation), kPass, Fill(output, c.attributes), kTolerance});
  }
}

TEST(FuseConvActivationOrt, ClipWithConstantInputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) <float lo = {-0.5}, float hi = {0.75}> {
      c = Conv(x, w)
      y = Clip(c, lo, hi)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) <float lo = {-0.5}, float hi = {0.75}> {
      y = com.microsoft.FusedConv<activation = "Clip", activation_params = [-0.5, 0.75]>(x, w)
    }
  )", kTolerance});
}

TEST(FuseConvActivationOrt, ClipAttributesBeforeOpset11) {
  CheckPassCase({R"(
    <ir_version: 5, opset_import: ["" : 10]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = Clip<min = 0.0, max = 6.0>(c)
    }
  )", kPass, R"(
    <ir_version: 5, opset_import: ["" : 10, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      y = com.microsoft.FusedConv<activation = "Clip", activation_params = [0.0, 6.0]>(x, w)
    }
  )", kTolerance});
  // Clip-6 without attributes clips to the float extremes (its documented defaults).
  CheckPassCase({R"(
    <ir_version: 5, opset_import: ["" : 10]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = Clip(c)
    }
  )", kPass, R"(
    <ir_version: 5, opset_import: ["" : 10, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      y = com.microsoft.FusedConv<activation = "Clip", activation_params = [-3.4028234663852886e38, 3.4028234663852886e38]>(x, w)
    }
  )", kTolerance});
}

// Absent Clip inputs (opset >= 11) do not clip: the bounds become infinities (which the text
// syntax cannot write, so this case checks the attribute directly).
TEST(FuseConvActivationOrt, ClipWithAbsentBoundIsInfinite) {
  const char* text = R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) <float lo = {0.0}> {
      c = Conv(x, w)
      y = Clip(c, lo)
    }
  )";
  auto model = ParseModel(text);
  auto original = ParseModel(text);
  PassManager manager;
  ASSERT_TRUE(manager.addGroup(kPass).ok());
  auto rewrites = manager.run(*model);
  ASSERT_TRUE(rewrites.ok());
  EXPECT_EQ(*rewrites, 1u);
  ASSERT_EQ(model->graph().nodeCount(), 1u);
  const Node* fused = model->graph().nodes()[0];
  EXPECT_EQ(fused->opType(), "FusedConv");
  auto params = fused->getFloats("activation_params");
  ASSERT_TRUE(params && params->size() == 2);
  EXPECT_EQ((*params)[0], 0.0f);
  EXPECT_EQ((*params)[1], std::numeric_limits<float>::infinity());
  EXPECT_EQ(CompareOnRuntime(*original, *model, kTolerance), "");
}

TEST(FuseConvActivationOrt, ConvAddRelu) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2] b, float[1,2,3,3] z) => (float[1,2,3,3] y)
      <float[1,2,3,3] c> {
      c = Conv(x, w, b)
      s = Add(c, z)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2] b, float[1,2,3,3] z) => (float[1,2,3,3] y) {
      y = com.microsoft.FusedConv<activation = "Relu">(x, w, b, z)
    }
  )", kTolerance}), 1u);
}

TEST(FuseConvActivationOrt, ResidualFirstAndNoBias) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[N,2,4,4] x, float[2,2,2,2] w, float[N,2,3,3] z) => (float[N,2,3,3] y) <float[N,2,3,3] c> {
      c = Conv(x, w)
      s = Add(z, c)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[N,2,4,4] x, float[2,2,2,2] w, float[N,2,3,3] z) => (float[N,2,3,3] y) {
      y = com.microsoft.FusedConv<activation = "Relu">(x, w, , z)
    }
  )", kTolerance});
}

TEST(FuseConvActivationOrt, ResidualOfBothConvsTakesTheFirst) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2,2,2,2] v) => (float[1,2,3,3] y)
      <float[1,2,3,3] c, float[1,2,3,3] d> {
      c = Conv(x, w)
      d = Conv(x, v)
      s = Add(c, d)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[2,2,2,2] v) => (float[1,2,3,3] y) <float[1,2,3,3] d> {
      d = Conv(x, v)
      y = com.microsoft.FusedConv<activation = "Relu">(x, w, , d)
    }
  )", kTolerance});
}

TEST(FuseConvActivationOrt, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool k, float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      y = If(k) <then_branch = t () => (float[1,2,3,3] a) { c = Conv(x, w)  a = Relu(c) },
                  else_branch = e () => (float[1,2,3,3] o) { o = Conv(x, w) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 1]>
    g (bool k, float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      y = If(k) <then_branch = t () => (float[1,2,3,3] a) {
                    a = com.microsoft.FusedConv<activation = "Relu">(x, w)
                  },
                  else_branch = e () => (float[1,2,3,3] o) { o = Conv(x, w) }>
    }
  )", kTolerance});
}

TEST(FuseConvActivationOrt, KeepsConvWhoseOutputHasOtherUses) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y, float[1,2,3,3] c) {
      c = Conv(x, w)
      y = Relu(c)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y, float[1,2,3,3] n) {
      c = Conv(x, w)
      y = Relu(c)
      n = Neg(c)
    }
  )", kPass, ""});
}

TEST(FuseConvActivationOrt, KeepsNonFloatConv) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (double[1,2,4,4] x, double[2,2,2,2] w) => (double[1,2,3,3] y) {
      c = Conv(x, w)
      y = Relu(c)
    }
  )", kPass, ""});
}

TEST(FuseConvActivationOrt, KeepsUnsupportedActivations) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = Elu(c)
    }
  )", kPass, ""});
}

TEST(FuseConvActivationOrt, KeepsClipWithUnknownOrInvertedBounds) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float lo) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = Clip(c, lo)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) <float lo = {1.0}, float hi = {-1.0}> {
      c = Conv(x, w)
      y = Clip(c, lo, hi)
    }
  )", kPass, ""});
  // A bound of shape [1] is not the scalar Clip requires.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) <float[1] lo = {0.0}> {
      c = Conv(x, w)
      y = Clip(c, lo)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseConvActivationOrt, KeepsAddThatBroadcastsOrHasUnknownShapes) {
  // The residual broadcasts: FusedConv's Z must have the output's shape.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[1,2,1,1] z) => (float[1,2,3,3] y) <float[1,2,3,3] c> {
      c = Conv(x, w)
      s = Add(c, z)
      y = Relu(s)
    }
  )", kPass, ""});
  // The Conv output's shape is unknown.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[1,2,3,3] z) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      s = Add(c, z)
      y = Relu(s)
    }
  )", kPass, ""});
  // The sum has another use.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[1,2,3,3] z) => (float[1,2,3,3] y, float[1,2,3,3] s)
      <float[1,2,3,3] c> {
      c = Conv(x, w)
      s = Add(c, z)
      y = Relu(s)
    }
  )", kPass, ""});
  // The Conv output has another use.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[1,2,4,4] x, float[2,2,2,2] w, float[1,2,3,3] z) => (float[1,2,3,3] y, float[1,2,3,3] c)
      <float[1,2,3,3] c> {
      c = Conv(x, w)
      s = Add(c, z)
      y = Relu(s)
    }
  )", kPass, ""});
}

TEST(FuseConvActivationOrt, KeepsActivationInAnotherGraphThanTheConv) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool k, float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = If(k) <then_branch = t () => (float[1,2,3,3] a) { a = Relu(c) },
                  else_branch = e () => (float[1,2,3,3] o) { o = Neg(c) }>
    }
  )", kPass, ""});
}

TEST(FuseConvActivationOrt, KeepsModelsImportingAnotherMicrosoftVersion) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14, "com.microsoft" : 2]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = Relu(c)
    }
  )", kPass, ""});
}

TEST(FuseConvActivationOrt, ClipBeforeOpset6IsKept) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 5]>
    g (float[1,2,4,4] x, float[2,2,2,2] w) => (float[1,2,3,3] y) {
      c = Conv(x, w)
      y = Clip<min = 0.0, max = 6.0>(c)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
