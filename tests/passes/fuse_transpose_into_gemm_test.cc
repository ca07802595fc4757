#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-transpose-into-gemm"};

TEST(FuseTransposeIntoGemm, TransposedB) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[2,3] b, float[2] c) => (float[4,2] y) {
      t = Transpose<perm = [1, 0]>(b)
      y = Gemm(a, t, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[2,3] b, float[2] c) => (float[4,2] y) {
      y = Gemm<transB = 1>(a, b, c)
    }
  )"}), 1u);
}

TEST(FuseTransposeIntoGemm, TransposedAWithFlagAlreadySetAndDefaultPerm) {
  // transA = 1 on a transposed input: the flag goes back to 0. An absent perm reverses 2 dims.
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3,4] a, float[2,4] b) => (float[3,2] y) {
      t = Transpose(a)
      u = Transpose<perm = [1, 0]>(b)
      y = Gemm<transA = 1, transB = 0, alpha = 2.0>(t, u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3,4] a, float[2,4] b) => (float[3,2] y) {
      y = Gemm<transA = 0, transB = 1, alpha = 2.0>(a, b)
    }
  )"}), 2u);
}

TEST(FuseTransposeIntoGemm, SameTransposeAsBothInputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3,3] a) => (float[3,3] y) {
      t = Transpose<perm = [1, 0]>(a)
      y = Gemm(t, t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[3,3] a) => (float[3,3] y) {
      y = Gemm<transA = 1, transB = 1>(a, a)
    }
  )"});
}

TEST(FuseTransposeIntoGemm, TwoTransposesInARowCancel) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[3,2] b) => (float[4,2] y) {
      t1 = Transpose<perm = [1, 0]>(b)
      t2 = Transpose<perm = [1, 0]>(t1)
      y = Gemm(a, t2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[3,2] b) => (float[4,2] y) {
      y = Gemm<transB = 0>(a, b)
    }
  )"});
}

TEST(FuseTransposeIntoGemm, OldOpsetAndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 7]>
    g (float[4,3] a, float[2,3] b, float[2] c) => (float[4,2] y) {
      t = Transpose<perm = [1, 0]>(b)
      y = Gemm(a, t, c)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 7]>
    g (float[4,3] a, float[2,3] b, float[2] c) => (float[4,2] y) {
      y = Gemm<transB = 1>(a, b, c)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool p, float[4,3] a, float[2,3] b) => (float[4,2] y) {
      y = If(p) <then_branch = th () => (float[4,2] v) { t = Transpose<perm = [1, 0]>(b)  v = Gemm(a, t) },
                  else_branch = el () => (float[4,2] w) { w = Gemm<transB = 1>(a, b) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool p, float[4,3] a, float[2,3] b) => (float[4,2] y) {
      y = If(p) <then_branch = th () => (float[4,2] v) { v = Gemm<transB = 1>(a, b) },
                  else_branch = el () => (float[4,2] w) { w = Gemm<transB = 1>(a, b) }>
    }
  )"});
}

// ----- Does not apply -----

TEST(FuseTransposeIntoGemm, KeepsTransposeOfC) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,2] a, float[2,2] b, float[2,2] c) => (float[2,2] y) {
      t = Transpose<perm = [1, 0]>(c)
      y = Gemm(a, b, t)
    }
  )", kPass, ""});
}

TEST(FuseTransposeIntoGemm, KeepsTransposeUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[2,3] b) => (float[4,2] y, float[3,2] z) {
      t = Transpose<perm = [1, 0]>(b)
      y = Gemm(a, t)
      z = Relu(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,3] a, float[2,3] b) => (float[4,2] y, float[3,2] t) {
      t = Transpose<perm = [1, 0]>(b)
      y = Gemm(a, t)
    }
  )", kPass, ""});
  // Used as C of the same Gemm too.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,2] a, float[2,2] b) => (float[2,2] y) {
      t = Transpose<perm = [1, 0]>(b)
      y = Gemm(a, t, t)
    }
  )", kPass, ""});
}

TEST(FuseTransposeIntoGemm, KeepsOtherPermsAndDomains) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,2] a, float[2,2] b) => (float[2,2] y) {
      t = Transpose<perm = [0, 1]>(b)
      y = Gemm(a, t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13, "custom" : 1]>
    g (float[2,2] a, float[2,2] b) => (float[2,2] y) {
      t = custom.Transpose<perm = [1, 0]>(b)
      y = Gemm(a, t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

}  // namespace
}  // namespace onnxkit::testing
