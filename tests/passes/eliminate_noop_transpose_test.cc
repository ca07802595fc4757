#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-transpose"};

TEST(EliminateNoopTranspose, RemovesTheIdentityPermutation) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      t = Transpose<perm = [0, 1, 2]>(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateNoopTranspose, IdentityPermutationNeedsNoDeclaredRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      t = Transpose<perm = [0, 1]>(r)
      y = Neg(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      t = Relu(x)
      y = Neg(t)
    }
  )"});
}

TEST(EliminateNoopTranspose, KeepsARealPermutation) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[3,2] y) {
      t = Transpose<perm = [1, 0]>(x)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopTranspose, NoPermReversesTheAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[5] x) => (float[5] y) {
      t = Transpose(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[5] x) => (float[5] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[3,2] y) {
      t = Transpose(x)
      y = Relu(t)
    }
  )", kPass, ""});
  // Rank unknown: a reversal may be a real permutation.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[5] x) => (float[5] y) {
      r = Relu(x)
      t = Transpose(r)
      y = Neg(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopTranspose, KeepsAPermOfAnotherRank) {
  // Invalid: the runtime rejects it, and so it must stay.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3,4] x) => (float[2,3,4] y) {
      t = Transpose<perm = [0, 1]>(x)
      y = Relu(t)
    }
  )", kPass, "", std::nullopt, false});
}

TEST(EliminateNoopTranspose, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      y = Transpose<perm = [0, 1]>(r)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Transpose<perm = [0, 1]>(x)
    }
  )", kPass, ""});
}

TEST(EliminateNoopTranspose, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = t () => (float[2,3] v) { p = Transpose<perm = [0, 1]>(x)  v = Neg(p) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Neg(x) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
