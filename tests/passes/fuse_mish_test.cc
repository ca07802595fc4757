#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-mish"};
const runtime::Tolerance kTolerance{1e-5, 1e-6};

std::string Model(int opset, const std::string& body, const std::string& signature = "g (float[2,3] x) => (float[2,3] y)") {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + signature + " {\n" + body + "\n}";
}

const std::string kBody = R"(
      s = Softplus(x)
      t = Tanh(s)
      y = Mul(x, t)
)";

TEST(FuseMish, TimesTanhOfSoftplus) {
  EXPECT_EQ(CheckPassCase({Model(18, kBody), kPass, Model(18, "y = Mish(x)"), kTolerance}), 1u);
  CheckPassCase({Model(18, R"(
      s = Softplus(x)
      t = Tanh(s)
      y = Mul(t, x)
    )"), kPass, Model(18, "y = Mish(x)"), kTolerance});
}

TEST(FuseMish, Float16AndDouble) {
  CheckPassCase({Model(18, kBody, "g (float16[2,3] x) => (float16[2,3] y)"), kPass,
                 Model(18, "y = Mish(x)", "g (float16[2,3] x) => (float16[2,3] y)"), runtime::Tolerance{2e-3, 2e-3}});
  CheckPassCase({Model(18, kBody, "g (double[2,3] x) => (double[2,3] y)"), kPass,
                 Model(18, "y = Mish(x)", "g (double[2,3] x) => (double[2,3] y)"), runtime::Tolerance{1e-12, 1e-14}});
}

TEST(FuseMish, ResultUsedElsewhereKeepsItsName) {
  CheckPassCase({Model(18, R"(
      s = Softplus(x)
      t = Tanh(s)
      m = Mul(x, t)
      y = Add(m, x)
    )"), kPass, Model(18, R"(
      m = Mish(x)
      y = Add(m, x)
    )"), kTolerance});
}

TEST(FuseMish, TwoInARow) {
  CheckPassCase({Model(18, R"(
      s = Softplus(x)
      t = Tanh(s)
      m = Mul(x, t)
      s2 = Softplus(m)
      t2 = Tanh(s2)
      y = Mul(m, t2)
    )"), kPass, Model(18, R"(
      m = Mish(x)
      y = Mish(m)
    )"), kTolerance});
}

TEST(FuseMish, InsideSubgraph) {
  const std::string signature = "g (bool b, float[2,3] x) => (float[2,3] y)";
  CheckPassCase({Model(18, R"(
      y = If(b) <then_branch = t () => (float[2,3] o) {
                   s = Softplus(x)
                   th = Tanh(s)
                   o = Mul(x, th)
                 },
                 else_branch = e () => (float[2,3] w) { w = Neg(x) }>
    )", signature), kPass, Model(18, R"(
      y = If(b) <then_branch = t () => (float[2,3] o) { o = Mish(x) },
                 else_branch = e () => (float[2,3] w) { w = Neg(x) }>
    )", signature), kTolerance});
}

// ---- Negative cases ----

TEST(FuseMish, NotBeforeOpset18) { CheckPassCase({Model(17, kBody), kPass, ""}); }

TEST(FuseMish, SoftplusOfAnotherValue) {
  CheckPassCase({Model(18, R"(
      s = Softplus(z)
      t = Tanh(s)
      y = Mul(x, t)
    )", "g (float[2,3] x, float[2,3] z) => (float[2,3] y)"), kPass, ""});
}

TEST(FuseMish, TanhOfSomethingElse) {
  CheckPassCase({Model(18, R"(
      s = Relu(x)
      t = Tanh(s)
      y = Mul(x, t)
    )"), kPass, ""});
}

TEST(FuseMish, IntermediateValuesWithOtherUses) {
  CheckPassCase({Model(18, kBody + "z = Neg(s)", "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"), kPass, ""});
  CheckPassCase({Model(18, kBody + "z = Neg(t)", "g (float[2,3] x) => (float[2,3] y, float[2,3] z)"), kPass, ""});
  CheckPassCase({Model(18, kBody, "g (float[2,3] x) => (float[2,3] y, float[2,3] t)"), kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
