#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {

size_t CheckFloat16Case(const std::string& text, const std::vector<std::string>& passes,
                        const std::vector<std::string>& expected_ops, runtime::Tolerance tolerance);  // fuse_layer_normalization_test.cc

namespace {

const std::vector<std::string> kPass = {"fuse-gelu"};
const runtime::Tolerance kTolerance{1e-4, 1e-5};

std::string Model(int opset, const std::string& constants, const std::string& body,
                  const std::string& signature = "g (float[2,3] x) => (float[2,3] y)") {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + signature + " <" + constants +
         "> {\n" + body + "\n}";
}

const std::string kErfConstants = "float sqrt2 = {1.4142135}, float one = {1.0}, float half = {0.5}";
const std::string kErfGelu = "y = Gelu(x)";

TEST(FuseGelu, ErfFormAsPyTorchExportsIt) {
  EXPECT_EQ(CheckPassCase({Model(20, kErfConstants, R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(x, a)
      y = Mul(p, half)
    )"), kPass, Model(20, kErfConstants, kErfGelu), kTolerance}), 1u);
}

TEST(FuseGelu, ErfFormHalfFirstAndSwappedOperands) {
  CheckPassCase({Model(20, kErfConstants, R"(
      h = Mul(half, x)
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(one, e)
      y = Mul(a, h)
    )"), kPass, Model(20, kErfConstants, kErfGelu), kTolerance});
}

TEST(FuseGelu, ErfFormHalfOfTheSumAndMulByInverseSqrt2) {
  const std::string constants = "float inv = {0.70710678}, float one = {1.0}, float half = {0.5}";
  CheckPassCase({Model(20, constants, R"(
      u = Mul(inv, x)
      e = Erf(u)
      a = Add(e, one)
      h = Mul(a, half)
      y = Mul(x, h)
    )"), kPass, Model(20, constants, kErfGelu), kTolerance});
}

TEST(FuseGelu, ErfFormHalvingByDivision) {
  const std::string constants = "float sqrt2 = {1.41421}, float one = {1.0}, float two = {2.0}";
  CheckPassCase({Model(20, constants, R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(a, x)
      y = Div(p, two)
    )"), kPass, Model(20, constants, kErfGelu), kTolerance});
}

TEST(FuseGelu, ErfFormWithConstantNodesAndOtherUsesOfX) {
  CheckPassCase({Model(20, "", R"(
      sqrt2 = Constant<value = float {1.4142135}>()
      one = Constant<value = float {1.0}>()
      half = Constant<value = float {0.5}>()
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(x, a)
      r = Mul(p, half)
      y = Add(r, x)
    )"), kPass, Model(20, "", R"(
      sqrt2 = Constant<value = float {1.4142135}>()
      one = Constant<value = float {1.0}>()
      half = Constant<value = float {0.5}>()
      r = Gelu(x)
      y = Add(r, x)
    )"), kTolerance});
}

const std::string kTanhConstants =
    "float three = {3.0}, float c = {0.044715}, float k = {0.7978845608}, float one = {1.0}, float half = {0.5}";

TEST(FuseGelu, TanhFormWithPow) {
  CheckPassCase({Model(20, kTanhConstants, R"(
      x3 = Pow(x, three)
      t = Mul(c, x3)
      s = Add(x, t)
      v = Mul(k, s)
      h = Tanh(v)
      a = Add(one, h)
      hx = Mul(half, x)
      y = Mul(hx, a)
    )"), kPass, Model(20, kTanhConstants, R"(y = Gelu<approximate = "tanh">(x))"), kTolerance});
}

TEST(FuseGelu, TanhFormWithMulCube) {
  const std::string constants = "float c = {0.044715}, float k = {0.79788456}, float one = {1.0}, float half = {0.5}";
  CheckPassCase({Model(20, constants, R"(
      x2 = Mul(x, x)
      x3 = Mul(x, x2)
      t = Mul(x3, c)
      s = Add(t, x)
      v = Mul(s, k)
      h = Tanh(v)
      a = Add(h, one)
      p = Mul(x, a)
      y = Mul(p, half)
    )"), kPass, Model(20, constants, R"(y = Gelu<approximate = "tanh">(x))"), kTolerance});
  CheckPassCase({Model(20, constants, R"(
      x2 = Mul(x, x)
      x3 = Mul(x2, x)
      t = Mul(x3, c)
      s = Add(t, x)
      v = Mul(s, k)
      h = Tanh(v)
      a = Add(h, one)
      p = Mul(x, a)
      y = Mul(p, half)
    )"), kPass, Model(20, constants, R"(y = Gelu<approximate = "tanh">(x))"), kTolerance});
}

TEST(FuseGelu, Float16AndDouble) {
  EXPECT_EQ(CheckFloat16Case(Model(20, kErfConstants, R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(x, a)
      y = Mul(p, half)
    )"), kPass, {"Gelu"}, runtime::Tolerance{1e-2, 1e-2}), 1u);
  // sqrt(2/pi) rounded to float16 is 0.7978515625, 4e-5 relative from the true value; 0.044715
  // becomes 0.044708251953125, 1.5e-4 relative, accepted as the value rounded to float16.
  EXPECT_EQ(CheckFloat16Case(Model(20, kTanhConstants, R"(
      x3 = Pow(x, three)
      t = Mul(c, x3)
      s = Add(x, t)
      v = Mul(k, s)
      h = Tanh(v)
      a = Add(one, h)
      hx = Mul(half, x)
      y = Mul(hx, a)
    )"), kPass, {"Gelu"}, runtime::Tolerance{1e-2, 1e-2}), 1u);
  const std::string f64 = "double sqrt2 = {1.4142135623730951}, double one = {1.0}, double half = {0.5}";
  CheckPassCase({Model(20, f64, R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(x, a)
      y = Mul(p, half)
    )", "g (double[2,3] x) => (double[2,3] y)"),
                 kPass, Model(20, f64, kErfGelu, "g (double[2,3] x) => (double[2,3] y)"), runtime::Tolerance{1e-12, 1e-14}});
}

TEST(FuseGelu, ConstantsOfRankOneWhenXHasARank) {
  const std::string constants = "float[1] sqrt2 = {1.4142135}, float[1,1] one = {1.0}, float[1] half = {0.5}";
  CheckPassCase({Model(20, constants, R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(x, a)
      y = Mul(p, half)
    )"), kPass, Model(20, constants, kErfGelu), kTolerance});
}

TEST(FuseGelu, InsideSubgraph) {
  CheckPassCase({Model(20, kErfConstants, R"(
      y = If(b) <then_branch = t () => (float[2,3] v) {
                   u = Div(x, sqrt2)
                   e = Erf(u)
                   a = Add(e, one)
                   p = Mul(x, a)
                   v = Mul(p, half)
                 },
                 else_branch = f () => (float[2,3] w) { w = Neg(x) }>
    )", "g (bool b, float[2,3] x) => (float[2,3] y)"),
                 kPass, Model(20, kErfConstants, R"(
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Gelu(x) },
                 else_branch = f () => (float[2,3] w) { w = Neg(x) }>
    )", "g (bool b, float[2,3] x) => (float[2,3] y)"),
                 kTolerance});
}

// ---- Negative cases ----

const std::string kErfBody = R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(x, a)
      y = Mul(p, half)
)";

TEST(FuseGelu, NotBeforeOpset20) { CheckPassCase({Model(19, kErfConstants, kErfBody), kPass, ""}); }

TEST(FuseGelu, WrongConstants) {
  CheckPassCase({Model(20, "float sqrt2 = {1.5}, float one = {1.0}, float half = {0.5}", kErfBody), kPass, ""});
  CheckPassCase({Model(20, "float sqrt2 = {1.4142135}, float one = {1.0001}, float half = {0.5}", kErfBody), kPass, ""});
  CheckPassCase({Model(20, "float sqrt2 = {1.4142135}, float one = {1.0}, float half = {0.49999}", kErfBody), kPass, ""});
  CheckPassCase({Model(20, "float sqrt2 = {1.4145}, float one = {1.0}, float half = {0.5}", kErfBody), kPass, ""});
  // 1.4150 in float16 is 1.4150390625: neither within 1e-4 nor sqrt 2 rounded to float16 (1.4140625).
  EXPECT_EQ(CheckFloat16Case(Model(20, "float sqrt2 = {1.4150}, float one = {1.0}, float half = {0.5}", kErfBody), kPass,
                             {"Div", "Erf", "Add", "Mul", "Mul"}, runtime::Tolerance{}),
            0u);
  CheckPassCase({Model(20, "float three = {3.0}, float c = {0.045}, float k = {0.7978845608}, float one = {1.0}, float half = {0.5}",
                       R"(
      x3 = Pow(x, three)
      t = Mul(c, x3)
      s = Add(x, t)
      v = Mul(k, s)
      h = Tanh(v)
      a = Add(one, h)
      hx = Mul(half, x)
      y = Mul(hx, a)
    )"),
                 kPass, ""});
  CheckPassCase({Model(20, "float three = {2.0}, float c = {0.044715}, float k = {0.7978845608}, float one = {1.0}, float half = {0.5}",
                       R"(
      x3 = Pow(x, three)
      t = Mul(c, x3)
      s = Add(x, t)
      v = Mul(k, s)
      h = Tanh(v)
      a = Add(one, h)
      hx = Mul(half, x)
      y = Mul(hx, a)
    )"),
                 kPass, ""});
}

TEST(FuseGelu, ConstantsNotConstant) {
  CheckPassCase({Model(20, "float one = {1.0}, float half = {0.5}", kErfBody,
                       "g (float[2,3] x, float sqrt2) => (float[2,3] y)"),
                 kPass, ""});
}

TEST(FuseGelu, DifferentX) {
  CheckPassCase({Model(20, kErfConstants, R"(
      u = Div(x, sqrt2)
      e = Erf(u)
      a = Add(e, one)
      p = Mul(z, a)
      y = Mul(p, half)
    )", "g (float[2,3] x, float[2,3] z) => (float[2,3] y)"),
                 kPass, ""});
  CheckPassCase({Model(20, kTanhConstants, R"(
      x3 = Pow(z, three)
      t = Mul(c, x3)
      s = Add(x, t)
      v = Mul(k, s)
      h = Tanh(v)
      a = Add(one, h)
      hx = Mul(half, x)
      y = Mul(hx, a)
    )", "g (float[2,3] x, float[2,3] z) => (float[2,3] y)"),
                 kPass, ""});
}

TEST(FuseGelu, IntermediateValuesWithOtherUses) {
  for (const char* extra : {"u", "e", "a", "p"}) {
    SCOPED_TRACE(extra);
    CheckPassCase({Model(20, kErfConstants, kErfBody + "z = Neg(" + extra + ")",
                         "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"),
                   kPass, ""});
  }
  CheckPassCase({Model(20, kErfConstants, kErfBody, "g (float[2,3] x) => (float[2,3] y, float[2,3] e)"), kPass, ""});
  for (const char* extra : {"x3", "t", "s", "v", "h", "a", "hx"}) {
    SCOPED_TRACE(extra);
    CheckPassCase({Model(20, kTanhConstants, std::string(R"(
      x3 = Pow(x, three)
      t = Mul(c, x3)
      s = Add(x, t)
      v = Mul(k, s)
      h = Tanh(v)
      a = Add(one, h)
      hx = Mul(half, x)
      y = Mul(hx, a)
      z = Neg()") + extra + ")",
                         "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"),
                   kPass, ""});
  }
}

TEST(FuseGelu, ConstantThatWidensTheRank) {
  CheckPassCase({Model(20, "float[1,1,1] sqrt2 = {1.4142135}, float one = {1.0}, float half = {0.5}", kErfBody,
                       "g (float[2,3] x) => (float[1,2,3] y)"),
                 kPass, ""});
  // A rank-1 constant widens a scalar x.
  CheckPassCase({Model(20, "float[1] sqrt2 = {1.4142135}, float one = {1.0}, float half = {0.5}", kErfBody,
                       "g (float x) => (float[1] y)"),
                 kPass, ""});
}

TEST(FuseGelu, IntegerConstantsAreNotAGelu) {
  CheckPassCase({Model(20, "int32 sqrt2 = {1}, int32 one = {1}, int32 half = {0}", kErfBody,
                       "g (int32[2,3] x) => (int32[2,3] y)"),
                 kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
