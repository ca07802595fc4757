#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {

size_t CheckFloat16Case(const std::string& text, const std::vector<std::string>& passes,
                        const std::vector<std::string>& expected_ops, runtime::Tolerance tolerance);  // fuse_layer_normalization_test.cc

namespace {

const std::vector<std::string> kPass = {"fuse-hard-swish"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

std::string Model(int opset, const std::string& constants, const std::string& body,
                  const std::string& signature = "g (float[2,3] x) => (float[2,3] y)") {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + signature + " <" + constants +
         "> {\n" + body + "\n}";
}

const std::string kConstants = "float three = {3.0}, float zero = {0.0}, float six = {6.0}";

TEST(FuseHardSwish, TimesHardSigmoidNode) {
  EXPECT_EQ(CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      y = Mul(x, s)
    )"), kPass, Model(14, "", "y = HardSwish(x)"), kTolerance}), 1u);
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666666, beta = 0.5>(x)
      y = Mul(s, x)
    )"), kPass, Model(14, "", "y = HardSwish(x)"), kTolerance});
}

TEST(FuseHardSwish, TimesDecomposedHardSigmoid) {
  CheckPassCase({Model(14, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      s = Div(c, six)
      y = Mul(x, s)
    )"), kPass, Model(14, kConstants, "y = HardSwish(x)"), kTolerance});
}

TEST(FuseHardSwish, ProductDividedBySixAsPyTorchEvaluatesIt) {
  CheckPassCase({Model(14, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Div(p, six)
    )"), kPass, Model(14, kConstants, "y = HardSwish(x)"), kTolerance});
  const std::string constants = kConstants + ", float sixth = {0.16666667}";
  CheckPassCase({Model(14, constants, R"(
      v = Add(three, x)
      m = Max(v, zero)
      c = Min(m, six)
      p = Mul(c, x)
      y = Mul(sixth, p)
    )"), kPass, Model(14, constants, "y = HardSwish(x)"), kTolerance});
  CheckPassCase({Model(14, kConstants, R"(
      v = Add(x, three)
      r = Relu(v)
      c = Min(r, six)
      p = Mul(x, c)
      y = Div(p, six)
    )"), kPass, Model(14, kConstants, "y = HardSwish(x)"), kTolerance});
}

TEST(FuseHardSwish, AfterFuseHardSigmoid) {
  CheckPassCase({Model(14, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      s = Div(c, six)
      y = Mul(x, s)
    )"), {"fuse-hard-sigmoid", "fuse-hard-swish"}, Model(14, kConstants, "y = HardSwish(x)"), kTolerance});
}

TEST(FuseHardSwish, Float16AndDouble) {
  EXPECT_EQ(CheckFloat16Case(Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      y = Mul(x, s)
    )"), kPass, {"HardSwish"}, runtime::Tolerance{2e-3, 2e-3}), 1u);
  EXPECT_EQ(CheckFloat16Case(Model(14, kConstants + ", float sixth = {0.16666667}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Mul(p, sixth)
    )"), kPass, {"HardSwish"}, runtime::Tolerance{2e-3, 2e-3}), 1u);
  const std::string f64 = "double three = {3.0}, double zero = {0.0}, double six = {6.0}";
  CheckPassCase({Model(14, f64, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Div(p, six)
    )", "g (double[2,3] x) => (double[2,3] y)"),
                 kPass, Model(14, f64, "y = HardSwish(x)", "g (double[2,3] x) => (double[2,3] y)"),
                 runtime::Tolerance{1e-12, 1e-14}});
}

TEST(FuseHardSwish, ResultUsedElsewhereKeepsItsName) {
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      h = Mul(x, s)
      y = Add(h, x)
    )"), kPass, Model(14, "", R"(
      h = HardSwish(x)
      y = Add(h, x)
    )"), kTolerance});
}

TEST(FuseHardSwish, InsideSubgraph) {
  const std::string signature = "g (bool b, float[2,3] x) => (float[2,3] y)";
  CheckPassCase({Model(14, kConstants, R"(
      y = If(b) <then_branch = t () => (float[2,3] o) {
                   v = Add(x, three)
                   c = Clip(v, zero, six)
                   p = Mul(x, c)
                   o = Div(p, six)
                 },
                 else_branch = e () => (float[2,3] w) { w = Neg(x) }>
    )", signature), kPass, Model(14, kConstants, R"(
      y = If(b) <then_branch = t () => (float[2,3] o) { o = HardSwish(x) },
                 else_branch = e () => (float[2,3] w) { w = Neg(x) }>
    )", signature), kTolerance});
}

// ---- Negative cases ----

TEST(FuseHardSwish, NotBeforeOpset14) {
  CheckPassCase({Model(13, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      y = Mul(x, s)
    )"), kPass, ""});
}

TEST(FuseHardSwish, OtherAlphaOrBeta) {
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid(x)
      y = Mul(x, s)
    )"), kPass, ""});
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.6>(x)
      y = Mul(x, s)
    )"), kPass, ""});
  CheckPassCase({Model(14, "float two = {2.0}, float zero = {0.0}, float four = {4.0}", R"(
      v = Add(x, two)
      c = Clip(v, zero, four)
      p = Mul(x, c)
      y = Div(p, four)
    )"), kPass, ""});
  CheckPassCase({Model(14, kConstants + ", float five = {5.0}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Div(p, five)
    )"), kPass, ""});
}

TEST(FuseHardSwish, SigmoidOfAnotherValue) {
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(z)
      y = Mul(x, s)
    )", "g (float[2,3] x, float[2,3] z) => (float[2,3] y)"), kPass, ""});
  CheckPassCase({Model(14, kConstants, R"(
      v = Add(z, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Div(p, six)
    )", "g (float[2,3] x, float[2,3] z) => (float[2,3] y)"), kPass, ""});
}

TEST(FuseHardSwish, HardSigmoidNodeNeedsAFloatOrFloat16Type) {
  // Double: the float attribute 1/6 is not HardSwish's exact 1/6.
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      y = Mul(x, s)
    )", "g (double[2,3] x) => (double[2,3] y)"), kPass, ""});
  // Undeclared type of the multiplied value.
  CheckPassCase({Model(14, "", R"(
      r = Relu(x)
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(r)
      y = Mul(r, s)
    )"), kPass, ""});
}

TEST(FuseHardSwish, IntermediateValuesWithOtherUses) {
  CheckPassCase({Model(14, "", R"(
      s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      y = Mul(x, s)
    )", "g (float[2,3] x) => (float[2,3] y, float[2,3] s)"), kPass, ""});
  for (const char* extra : {"v", "c", "p"}) {
    SCOPED_TRACE(extra);
    CheckPassCase({Model(14, kConstants, std::string(R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Div(p, six)
      z = Neg()") + extra + ")",
                         "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"),
                   kPass, ""});
  }
}

TEST(FuseHardSwish, ClampFromAnotherLowerBound) {
  CheckPassCase({Model(14, "float three = {3.0}, float zero = {-1.0}, float six = {6.0}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      p = Mul(x, c)
      y = Div(p, six)
    )"), kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
