#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-concats"};

TEST(FuseConsecutiveConcats, FlattensAnInnerConcat) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1] a, float[2,2] b, float[2,3] c, float[2,4] d) => (float[2,10] y) {
      t = Concat<axis = 1>(b, c)
      y = Concat<axis = 1>(a, t, d)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1] a, float[2,2] b, float[2,3] c, float[2,4] d) => (float[2,10] y) {
      y = Concat<axis = 1>(a, b, c, d)
    }
  )"}), 1u);
}

TEST(FuseConsecutiveConcats, NestedAndRepeatedInners) {
  // u appears twice in the outer Concat; t is inside u.
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2] a, float[2,2] b, float[3,2] c) => (float[12,2] y) {
      t = Concat<axis = 0>(a, b)
      u = Concat<axis = 0>(t, c)
      y = Concat<axis = 0>(u, u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2] a, float[2,2] b, float[3,2] c) => (float[12,2] y) {
      y = Concat<axis = 0>(a, b, c, a, b, c)
    }
  )"}), 2u);
}

TEST(FuseConsecutiveConcats, NegativeAndPositiveAxisWithKnownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1] a, float[2,2] b, float[2,3] c) => (float[2,6] y) {
      t = Concat<axis = -1>(a, b)
      y = Concat<axis = 1>(t, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1] a, float[2,2] b, float[2,3] c) => (float[2,6] y) {
      y = Concat<axis = 1>(a, b, c)
    }
  )"});
}

TEST(FuseConsecutiveConcats, DefaultAxisOfOpset1AndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,1] a, float[2,2] b, float[2,3] c) => (float[2,6] y) {
      t = Concat(a, b)
      y = Concat<axis = 1>(t, c)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,1] a, float[2,2] b, float[2,3] c) => (float[2,6] y) {
      y = Concat<axis = 1>(a, b, c)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool p, float[2] a, float[2] b) => (float[6] y) {
      y = If(p) <then_branch = th () => (float[6] v) { t = Concat<axis = 0>(a, b)  v = Concat<axis = 0>(t, a) },
                  else_branch = el () => (float[6] w) { w = Concat<axis = 0>(b, b, a) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool p, float[2] a, float[2] b) => (float[6] y) {
      y = If(p) <then_branch = th () => (float[6] v) { v = Concat<axis = 0>(a, b, a) },
                  else_branch = el () => (float[6] w) { w = Concat<axis = 0>(b, b, a) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(FuseConsecutiveConcats, KeepsDifferentAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,2] a, float[2,2] b, float[4,3] c) => (float[4,5] y) {
      t = Concat<axis = 0>(a, b)
      y = Concat<axis = 1>(t, c)
    }
  )", kPass, ""});
  // -1 and 1 may be the same axis, but the rank is unknown.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1] a0, float[2,2] b0, float[2,3] c0) => (float[2,6] y) {
      a = Identity(a0)
      b = Identity(b0)
      c = Identity(c0)
      t = Concat<axis = -1>(a, b)
      u = Concat<axis = 1>(t, c)
      y = Identity(u)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveConcats, KeepsAnInnerConcatUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] a, float[2] b) => (float[6] y, float[4] t) {
      t = Concat<axis = 0>(a, b)
      y = Concat<axis = 0>(t, a)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2] a, float[2] b) => (float[6] y, float[4] z) {
      t = Concat<axis = 0>(a, b)
      y = Concat<axis = 0>(t, a)
      z = Neg(t)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
