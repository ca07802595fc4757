#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-transposes"};

TEST(FuseConsecutiveTransposes, ComposesPerms) {
  // t[i, j, k] = x[j, i, k]; y[i, k, j] = t[i, j, k] = x[j, i, k]: y = Transpose(x, [1, 2, 0]).
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,4,2] y) {
      t = Transpose<perm = [1, 0, 2]>(x)
      y = Transpose<perm = [0, 2, 1]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,4,2] y) {
      y = Transpose<perm = [1, 2, 0]>(x)
    }
  )"}), 1u);
}

TEST(FuseConsecutiveTransposes, InversePermsCancel) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,3,4] x) => (float[1,2,3,4] y) {
      t = Transpose<perm = [0, 2, 3, 1]>(x)
      u = Transpose<perm = [0, 3, 1, 2]>(t)
      y = Relu(u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,2,3,4] x) => (float[1,2,3,4] y) {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(FuseConsecutiveTransposes, AbsentPerms) {
  // Two reversals cancel at any rank.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      t = Transpose(x)
      u = Transpose(t)
      y = Neg(u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      y = Neg(x)
    }
  )"});
  // A reversal then a swap: p1 = [2, 1, 0], p2 = [1, 0, 2] -> [1, 2, 0].
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,4,2] y) {
      t = Transpose(x)
      y = Transpose<perm = [1, 0, 2]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,4,2] y) {
      y = Transpose<perm = [1, 2, 0]>(x)
    }
  )"});
}

TEST(FuseConsecutiveTransposes, CancellingPairBetweenGraphInputAndOutput) {
  // y cannot become x (a graph input): an identity Transpose stays, the first goes.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      t = Transpose<perm = [1, 0]>(x)
      y = Transpose<perm = [1, 0]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Transpose<perm = [0, 1]>(x)
    }
  )"});
  // With absent perms, the identity's perm needs x's rank (here declared).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      t = Transpose(x)
      y = Transpose(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      y = Transpose<perm = [0, 1, 2]>(x)
    }
  )"});
}

TEST(FuseConsecutiveTransposes, CancellingPairIntoGraphOutputOfInnerValue) {
  // Absent perms, x of unknown rank: x takes the output's place (and name).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a) => (float[2,3] y) {
      x = Identity(a)
      t = Transpose(x)
      y = Transpose(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a) => (float[2,3] y) {
      y = Identity(a)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a) => (float[2,3] y) {
      x = Relu(a)
      t = Transpose<perm = [1, 0]>(x)
      y = Transpose<perm = [1, 0]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] a) => (float[2,3] y) {
      y = Relu(a)
    }
  )"});
}

TEST(FuseConsecutiveTransposes, ChainsAndBranches) {
  // Three in a row collapse; a Transpose feeding two Transposes goes once both are rewritten.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[4,2,3] y, float[2,4,3] z) {
      t1 = Transpose<perm = [1, 0, 2]>(x)
      t2 = Transpose<perm = [0, 2, 1]>(t1)
      y = Transpose<perm = [1, 2, 0]>(t2)
      z = Transpose<perm = [1, 2, 0]>(t1)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[4,2,3] y, float[2,4,3] z) {
      y = Transpose<perm = [2, 0, 1]>(x)
      z = Transpose<perm = [0, 2, 1]>(x)
    }
  )"});
}

TEST(FuseConsecutiveTransposes, OldOpsetAndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,3,4] x) => (float[3,4,2] y) {
      t = Transpose<perm = [1, 0, 2]>(x)
      y = Transpose<perm = [0, 2, 1]>(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,3,4] x) => (float[3,4,2] y) {
      y = Transpose<perm = [1, 2, 0]>(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = th () => (float[2,3] v) {
                    t = Transpose<perm = [1, 0]>(x)
                    u = Transpose<perm = [1, 0]>(t)
                    v = Neg(u)
                  },
                  else_branch = el () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = th () => (float[2,3] v) { v = Neg(x) },
                  else_branch = el () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(FuseConsecutiveTransposes, KeepsAFirstTransposeUsedByOtherOps) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y, float[3,2] z) {
      t = Transpose<perm = [1, 0]>(x)
      y = Transpose<perm = [1, 0]>(t)
      z = Relu(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y, float[3,2] t) {
      t = Transpose<perm = [1, 0]>(x)
      y = Transpose<perm = [1, 0]>(t)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveTransposes, KeepsInvalidPermsAndOtherDomains) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[3,2,4] y) {
      t = Transpose<perm = [1, 0, 2]>(x)
      y = Transpose<perm = [0, 1]>(t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13, "custom" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      t = custom.Transpose<perm = [1, 0]>(x)
      y = Transpose<perm = [1, 0]>(t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
