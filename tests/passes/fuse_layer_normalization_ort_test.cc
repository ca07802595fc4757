#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-layer-normalization-ort"};
const runtime::Tolerance kTolerance{1e-4, 1e-5};

// The decomposed LayerNorm PyTorch exports below opset 17, with `opset`, the element type and
// the body lines given.
std::string Decomposed(int opset, std::string_view type, std::string_view body,
                       std::string_view signature_extra = "") {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g ({}[2,3,4] x, {}[4] gamma, {}[4] beta) => ({}[2,3,4] y)
      <{} two = {{2.0}}, {} eps = {{1e-5}}{}> {{
      {}
    }}
  )", opset, type, type, type, type, type, type, signature_extra, body);
}

constexpr std::string_view kPyTorchBody = R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [-1]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta))";

std::string Fused(int opset, std::string_view type, std::string_view body) {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : {}]>
    g ({}[2,3,4] x, {}[4] gamma, {}[4] beta) => ({}[2,3,4] y) <{} two = {{2.0}}, {} eps = {{1e-5}}> {{
      {}
    }}
  )", opset, type, type, type, type, type, type, body);
}

TEST(FuseLayerNormalizationOrt, AsPyTorchExportsIt) {
  EXPECT_EQ(CheckPassCase({Decomposed(14, "float", kPyTorchBody), kPass,
                           Fused(14, "float", "y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)"),
                           kTolerance}),
            1u);
}

TEST(FuseLayerNormalizationOrt, Variants) {
  // Mul(d, d), axes = [rank - 1], commuted Add and Mul operands, opset 11.
  CheckPassCase({Decomposed(11, "float", R"(
      mean = ReduceMean<axes = [2]>(x)
      d = Sub(x, mean)
      p = Mul(d, d)
      var = ReduceMean<axes = [-1], keepdims = 1>(p)
      v = Add(eps, var)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(gamma, n)
      y = Add(beta, m))"),
                 kPass, Fused(11, "float", "y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)"),
                 kTolerance});
}

TEST(FuseLayerNormalizationOrt, Double) {
  CheckPassCase({Decomposed(13, "double", kPyTorchBody), kPass,
                 Fused(13, "double", "y = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)"),
                 kTolerance});
}

TEST(FuseLayerNormalizationOrt, WithoutBeta) {
  // The scaled value has two uses: no beta Add is fused, the LayerNormalization has no B.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, float[4] gamma, float[4] beta) => (float[2,3,4] y, float[2,3,4] m)
      <float two = {2.0}, float eps = {1e-5}> {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [-1]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, float[4] gamma, float[4] beta) => (float[2,3,4] y, float[2,3,4] m)
      <float two = {2.0}, float eps = {1e-5}> {
      m = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma)
      y = Add(m, beta)
    }
  )", kTolerance});
}

TEST(FuseLayerNormalizationOrt, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool k, float[3,4] x, float[4] gamma, float[4] beta) => (float[3,4] y) <float two = {2.0}, float eps = {1e-5}> {
      y = If(k) <then_branch = t () => (float[3,4] o) {
                    mean = ReduceMean<axes = [-1]>(x)
                    d = Sub(x, mean)
                    p = Pow(d, two)
                    var = ReduceMean<axes = [-1]>(p)
                    v = Add(var, eps)
                    s = Sqrt(v)
                    n = Div(d, s)
                    m = Mul(n, gamma)
                    o = Add(m, beta)
                  },
                  else_branch = e () => (float[3,4] q) { q = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (bool k, float[3,4] x, float[4] gamma, float[4] beta) => (float[3,4] y) <float two = {2.0}, float eps = {1e-5}> {
      y = If(k) <then_branch = t () => (float[3,4] o) {
                    o = LayerNormalization<axis = -1, epsilon = 1e-5>(x, gamma, beta)
                  },
                  else_branch = e () => (float[3,4] q) { q = Neg(x) }>
    }
  )", kTolerance});
}

TEST(FuseLayerNormalizationOrt, LeavesOpset17ToTheStandardPass) {
  CheckPassCase({Decomposed(17, "float", kPyTorchBody), kPass, ""});
}

TEST(FuseLayerNormalizationOrt, KeepsOtherAxes) {
  CheckPassCase({Decomposed(14, "float", R"(
      mean = ReduceMean<axes = [1]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [1]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta))"), kPass, ""});
  CheckPassCase({Decomposed(14, "float", R"(
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [-2]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta))"), kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({Decomposed(14, "float", R"(
      mean = ReduceMean<axes = [-1, -2]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [-1, -2]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta))"), kPass, ""});
}

TEST(FuseLayerNormalizationOrt, KeepsWrongStatistics) {
  // mean - x; (x - mean)^3; a negative epsilon; the mean of another tensor.
  for (std::string_view body : {
           R"(mean = ReduceMean<axes = [-1]>(x)
              d = Sub(mean, x)
              p = Pow(d, two)
              var = ReduceMean<axes = [-1]>(p)
              v = Add(var, eps)
              s = Sqrt(v)
              n = Div(d, s)
              m = Mul(n, gamma)
              y = Add(m, beta))",
           R"(three = Constant<value = float {3.0}>()
              mean = ReduceMean<axes = [-1]>(x)
              d = Sub(x, mean)
              p = Pow(d, three)
              var = ReduceMean<axes = [-1]>(p)
              v = Add(var, eps)
              s = Sqrt(v)
              n = Div(d, s)
              m = Mul(n, gamma)
              y = Add(m, beta))",
           R"(negative = Constant<value = float {-1e-5}>()
              mean = ReduceMean<axes = [-1]>(x)
              d = Sub(x, mean)
              p = Pow(d, two)
              var = ReduceMean<axes = [-1]>(p)
              v = Add(var, negative)
              s = Sqrt(v)
              n = Div(d, s)
              m = Mul(n, gamma)
              y = Add(m, beta))",
           R"(x2 = Neg(x)
              mean = ReduceMean<axes = [-1]>(x2)
              d = Sub(x, mean)
              p = Pow(d, two)
              var = ReduceMean<axes = [-1]>(p)
              v = Add(var, eps)
              s = Sqrt(v)
              n = Div(d, s)
              m = Mul(n, gamma)
              y = Add(m, beta))"}) {
    SCOPED_TRACE(body);
    CheckPassCase({Decomposed(14, "float", body), kPass, ""});
  }
}

TEST(FuseLayerNormalizationOrt, KeepsIntermediatesWithOtherUses) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, float[4] gamma, float[4] beta) => (float[2,3,4] y, float[2,3,4] d)
      <float two = {2.0}, float eps = {1e-5}> {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [-1]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2,3,4] x, float[4] gamma, float[4] beta) => (float[2,3,4] y, float[2,3,4] n)
      <float two = {2.0}, float eps = {1e-5}> {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      p = Pow(d, two)
      var = ReduceMean<axes = [-1]>(p)
      v = Add(var, eps)
      s = Sqrt(v)
      n = Div(d, s)
      m = Mul(n, gamma)
      y = Add(m, beta)
    }
  )", kPass, ""});
}

TEST(FuseLayerNormalizationOrt, KeepsScalesThatBroadcastDifferently) {
  // gamma of shape [1, 4] or [1]; the last dimension of x unknown.
  for (std::string_view signature :
       {"(float[2,3,4] x, float[1,4] gamma, float[4] beta) => (float[2,3,4] y)",
        "(float[2,3,4] x, float[1] gamma, float[4] beta) => (float[2,3,4] y)",
        "(float[2,3,H] x, float[4] gamma, float[4] beta) => (float[2,3,4] y)"}) {
    SCOPED_TRACE(signature);
    CheckPassCase({fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 14]>
      g {} <float two = {{2.0}}, float eps = {{1e-5}}> {{
        {}
      }}
    )", signature, kPyTorchBody), kPass, "", std::nullopt, signature.find('H') == std::string_view::npos});
  }
}

}  // namespace
}  // namespace onnxkit::testing
