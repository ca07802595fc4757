#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {

size_t CheckFloat16Case(const std::string& text, const std::vector<std::string>& passes,
                        const std::vector<std::string>& expected_ops, runtime::Tolerance tolerance);  // fuse_layer_normalization_test.cc

namespace {

const std::vector<std::string> kPass = {"fuse-hard-sigmoid"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

std::string Model(int opset, const std::string& constants, const std::string& body,
                  const std::string& signature = "g (float[2,3] x) => (float[2,3] y)") {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + signature + " <" + constants +
         "> {\n" + body + "\n}";
}

const std::string kConstants = "float three = {3.0}, float zero = {0.0}, float six = {6.0}";
const std::string kSixth = "y = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)";

TEST(FuseHardSigmoid, ClipOfShiftDividedBySix) {
  EXPECT_EQ(CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Div(c, six)
    )"), kPass, Model(13, kConstants, kSixth), kTolerance}), 1u);
}

TEST(FuseHardSigmoid, MulByASixthAndSwappedOperands) {
  const std::string constants = kConstants + ", float sixth = {0.16666667}";
  CheckPassCase({Model(11, constants, R"(
      v = Add(three, x)
      c = Clip(v, zero, six)
      y = Mul(sixth, c)
    )"), kPass, Model(11, constants, kSixth), kTolerance});
}

TEST(FuseHardSigmoid, ClipWithAttributesBeforeOpset11) {
  const std::string constants = "float three = {3.0}, float six = {6.0}";
  CheckPassCase({Model(10, constants, R"(
      v = Add(x, three)
      c = Clip<min = 0.0, max = 6.0>(v)
      y = Div(c, six)
    )"), kPass, Model(10, constants, kSixth), kTolerance});
  CheckPassCase({Model(6, constants, R"(
      v = Add<broadcast = 1>(x, three)
      c = Clip<min = 0.0, max = 6.0>(v)
      y = Div<broadcast = 1>(c, six)
    )"), kPass, Model(6, constants, kSixth), kTolerance});
}

TEST(FuseHardSigmoid, MinMaxAndReluClamps) {
  CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      m = Max(v, zero)
      c = Min(m, six)
      y = Div(c, six)
    )"), kPass, Model(13, kConstants, kSixth), kTolerance});
  CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      m = Min(six, v)
      c = Max(zero, m)
      y = Div(c, six)
    )"), kPass, Model(13, kConstants, kSixth), kTolerance});
  CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      r = Relu(v)
      c = Min(r, six)
      y = Div(c, six)
    )"), kPass, Model(13, kConstants, kSixth), kTolerance});
}

TEST(FuseHardSigmoid, OtherShiftAndBound) {
  const std::string constants = "float two = {2.0}, float zero = {0.0}, float four = {4.0}";
  CheckPassCase({Model(13, constants, R"(
      v = Add(x, two)
      c = Clip(v, zero, four)
      y = Div(c, four)
    )"), kPass, Model(13, constants, "y = HardSigmoid<alpha = 0.25, beta = 0.5>(x)"), kTolerance});
}

TEST(FuseHardSigmoid, WithoutShift) {
  CheckPassCase({Model(13, kConstants, R"(
      c = Clip(x, zero, six)
      y = Div(c, six)
    )"), kPass, Model(13, kConstants, "y = HardSigmoid<alpha = 0.16666667, beta = 0.0>(x)"), kTolerance});
}

TEST(FuseHardSigmoid, ScaleShiftThenClampToUnitInterval) {
  const std::string constants = "float a = {0.2}, float b = {0.5}, float zero = {0.0}, float one = {1.0}";
  CheckPassCase({Model(13, constants, R"(
      w = Mul(x, a)
      v = Add(w, b)
      y = Clip(v, zero, one)
    )"), kPass, Model(13, constants, "y = HardSigmoid<alpha = 0.2, beta = 0.5>(x)"), kTolerance});
  const std::string div_constants = "float d = {4.0}, float b = {0.5}, float zero = {0.0}, float one = {1.0}";
  CheckPassCase({Model(13, div_constants, R"(
      w = Div(x, d)
      v = Add(b, w)
      m = Max(v, zero)
      y = Min(m, one)
    )"), kPass, Model(13, div_constants, "y = HardSigmoid<alpha = 0.25, beta = 0.5>(x)"), kTolerance});
  const std::string shift_first = "float a = {0.25}, float b = {2.0}, float zero = {0.0}, float one = {1.0}";
  CheckPassCase({Model(13, shift_first, R"(
      w = Add(x, b)
      v = Mul(w, a)
      y = Clip(v, zero, one)
    )"), kPass, Model(13, shift_first, "y = HardSigmoid<alpha = 0.25, beta = 0.5>(x)"), kTolerance});
  const std::string shift_only = "float b = {0.5}, float zero = {0.0}, float one = {1.0}";
  CheckPassCase({Model(13, shift_only, R"(
      v = Add(x, b)
      y = Clip(v, zero, one)
    )"), kPass, Model(13, shift_only, "y = HardSigmoid<alpha = 1.0, beta = 0.5>(x)"), kTolerance});
}

TEST(FuseHardSigmoid, Float16) {
  EXPECT_EQ(CheckFloat16Case(Model(13, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Div(c, six)
    )"), kPass, {"HardSigmoid"}, runtime::Tolerance{2e-3, 2e-3}), 1u);
  // 1/6 rounded to float16 (0.1666259765625) times 6 is 1 within float16's epsilon.
  EXPECT_EQ(CheckFloat16Case(Model(13, kConstants + ", float sixth = {0.16666667}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Mul(c, sixth)
    )"), kPass, {"HardSigmoid"}, runtime::Tolerance{2e-3, 2e-3}), 1u);
}

TEST(FuseHardSigmoid, DoubleOnlyWhenAlphaAndBetaAreExactFloats) {
  const std::string constants = "double two = {2.0}, double zero = {0.0}, double four = {4.0}";
  const std::string signature = "g (double[2,3] x) => (double[2,3] y)";
  CheckPassCase({Model(13, constants, R"(
      v = Add(x, two)
      c = Clip(v, zero, four)
      y = Div(c, four)
    )", signature), kPass, Model(13, constants, "y = HardSigmoid<alpha = 0.25, beta = 0.5>(x)", signature),
                 runtime::Tolerance{1e-12, 1e-14}});
  CheckPassCase({Model(13, "double three = {3.0}, double zero = {0.0}, double six = {6.0}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Div(c, six)
    )", signature), kPass, ""});
}

TEST(FuseHardSigmoid, ResultUsedElsewhereKeepsItsName) {
  CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      h = Div(c, six)
      y = Mul(h, x)
    )"), kPass, Model(13, kConstants, R"(
      h = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
      y = Mul(h, x)
    )"), kTolerance});
}

TEST(FuseHardSigmoid, InsideSubgraph) {
  const std::string signature = "g (bool b, float[2,3] x) => (float[2,3] y)";
  CheckPassCase({Model(13, kConstants, R"(
      y = If(b) <then_branch = t () => (float[2,3] s) {
                   v = Add(x, three)
                   c = Clip(v, zero, six)
                   s = Div(c, six)
                 },
                 else_branch = e () => (float[2,3] w) { w = Neg(x) }>
    )", signature), kPass, Model(13, kConstants, R"(
      y = If(b) <then_branch = t () => (float[2,3] s) {
                   s = HardSigmoid<alpha = 0.16666667, beta = 0.5>(x)
                 },
                 else_branch = e () => (float[2,3] w) { w = Neg(x) }>
    )", signature), kTolerance});
}

// ---- Negative cases ----

const std::string kBody = R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Div(c, six)
)";

TEST(FuseHardSigmoid, NotBeforeOpset6) {
  CheckPassCase({Model(5, "float three = {3.0}, float six = {6.0}", R"(
      v = Add<broadcast = 1>(x, three)
      c = Clip<min = 0.0, max = 6.0>(v)
      y = Div<broadcast = 1>(c, six)
    )"), kPass, ""});
}

TEST(FuseHardSigmoid, BeforeOpset7TheConstantIsBroadcastOnlyAsSecondInputWithBroadcast) {
  // Without broadcast = 1, Add-6 does not broadcast a one-element constant (the model is not
  // valid with these shapes): the shift is not taken into the HardSigmoid.
  CheckPassCase({Model(6, "float three = {3.0}, float six = {6.0}", R"(
      v = Add(x, three)
      c = Clip<min = 0.0, max = 6.0>(v)
      y = Div<broadcast = 1>(c, six)
    )"), kPass, Model(6, "float three = {3.0}, float six = {6.0}", R"(
      v = Add(x, three)
      y = HardSigmoid<alpha = 0.16666667, beta = 0.0>(v)
    )"), std::nullopt, /*run_numerically=*/false});
  CheckPassCase({Model(6, "float three = {3.0}, float six = {6.0}", R"(
      v = Add<broadcast = 1>(x, three)
      c = Clip<min = 0.0, max = 6.0>(v)
      y = Div(c, six)
    )"), kPass, "", std::nullopt, /*run_numerically=*/false});
  // Min and Max broadcast from opset 8 only.
  CheckPassCase({Model(7, kConstants, R"(
      v = Add(x, three)
      m = Max(v, zero)
      c = Min(m, six)
      y = Div(c, six)
    )"), kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseHardSigmoid, LowerBoundNotZero) {
  CheckPassCase({Model(13, "float three = {3.0}, float zero = {-1.0}, float six = {6.0}", kBody), kPass, ""});
}

TEST(FuseHardSigmoid, DivisorNotTheUpperBound) {
  CheckPassCase({Model(13, kConstants + ", float five = {5.0}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Div(c, five)
    )"), kPass, ""});
  CheckPassCase({Model(13, kConstants + ", float f = {0.17}", R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Mul(c, f)
    )"), kPass, ""});
}

TEST(FuseHardSigmoid, DivisorNotConstant) {
  CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero, six)
      y = Div(c, s)
    )", "g (float[2,3] x, float s) => (float[2,3] y)"), kPass, ""});
}

TEST(FuseHardSigmoid, ClipWithoutUpperBound) {
  CheckPassCase({Model(13, kConstants, R"(
      v = Add(x, three)
      c = Clip(v, zero)
      y = Div(c, six)
    )"), kPass, ""});
  CheckPassCase({Model(10, "float three = {3.0}, float six = {6.0}", R"(
      v = Add(x, three)
      c = Clip<min = 0.0>(v)
      y = Div(c, six)
    )"), kPass, ""});
}

TEST(FuseHardSigmoid, IntermediateValuesWithOtherUses) {
  CheckPassCase({Model(13, kConstants, kBody + "z = Neg(c)", "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"),
                 kPass, ""});
  CheckPassCase({Model(13, kConstants, kBody, "g (float[2,3] x) => (float[2,3] y, float[2,3] c)"), kPass, ""});
}

TEST(FuseHardSigmoid, ShiftOfAnotherValueIsStillASigmoidOfThatValue) {
  // When the shift has other uses, the clamp reads a plain value: HardSigmoid(v) with beta 0.
  CheckPassCase({Model(13, kConstants, kBody + "z = Neg(v)", "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"),
                 kPass, Model(13, kConstants, R"(
      v = Add(x, three)
      y = HardSigmoid<alpha = 0.16666667, beta = 0.0>(v)
      z = Neg(v)
    )", "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"), kTolerance});
}

TEST(FuseHardSigmoid, UnitClampWithOtherBounds) {
  CheckPassCase({Model(13, "float a = {0.2}, float b = {0.5}, float zero = {0.0}, float one = {2.0}", R"(
      w = Mul(x, a)
      v = Add(w, b)
      y = Clip(v, zero, one)
    )"), kPass, ""});
  CheckPassCase({Model(13, "float zero = {0.0}, float one = {1.0}", "y = Clip(x, zero, one)"), kPass, ""});
}

TEST(FuseHardSigmoid, ConstantThatWidensTheRank) {
  CheckPassCase({Model(13, "float[1,1,1] three = {3.0}, float zero = {0.0}, float six = {6.0}", kBody,
                       "g (float[2,3] x) => (float[1,2,3] y)"),
                 kPass, ""});
}

TEST(FuseHardSigmoid, IntegerComputationIsNotMatched) {
  CheckPassCase({Model(13, "int32 three = {3}, int32 zero = {0}, int32 six = {6}", kBody,
                       "g (int32[2,3] x) => (int32[2,3] y)"),
                 kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
