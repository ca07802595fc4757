#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-unsqueeze-squeeze"};

TEST(EliminateUnsqueezeSqueeze, UnsqueezeThenSqueezeOfTheSameAxes) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] a = {0, 3}, int64[2] b = {3, 0}> {
      u = Unsqueeze(x, a)
      s = Squeeze(u, b)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] a = {0, 3}, int64[2] b = {3, 0}> {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateUnsqueezeSqueeze, AttributesBeforeOpset13AndNegativeAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      u = Unsqueeze<axes = [-1]>(x)
      s = Squeeze<axes = [2]>(u)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 9]>
    g (float[2,3] x) => (float[2,3] y) {
      u = Unsqueeze<axes = [1]>(x)
      s = Squeeze<axes = [1]>(u)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 9]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateUnsqueezeSqueeze, UnknownRankNeedsTheSameAxesAsWritten) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      u = Unsqueeze<axes = [-1, 0]>(r)
      s = Squeeze<axes = [0, -1]>(u)
      y = Neg(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Relu(x)
      y = Neg(s)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      u = Unsqueeze<axes = [-1]>(r)
      s = Squeeze<axes = [2]>(u)
      y = Neg(s)
    }
  )", kPass, ""});
}

TEST(EliminateUnsqueezeSqueeze, KeepsOtherAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,2,3] y) {
      u = Unsqueeze<axes = [0, 1]>(x)
      s = Squeeze<axes = [1]>(u)
      y = Relu(s)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,3] x) => (float[1,3] y) {
      u = Unsqueeze<axes = [0]>(x)
      s = Squeeze<axes = [1]>(u)
      y = Relu(s)
    }
  )", kPass, ""});
}

TEST(EliminateUnsqueezeSqueeze, SqueezeWithoutAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] a = {1}> {
      u = Unsqueeze(x, a)
      s = Squeeze(u)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] a = {1}> {
      y = Relu(x)
    }
  )"});
  // A size-1 dimension of x (or one that may be 1) would be squeezed too.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[1,3] x) => (float[3] y) <int64[1] a = {1}> {
      u = Unsqueeze(x, a)
      s = Squeeze(u)
      y = Relu(s)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[N,3] x) => (float[N,3] y) <int64[1] a = {1}> {
      u = Unsqueeze(x, a)
      s = Squeeze(u)
      y = Relu(s)
    }
  )", kPass, ""});
}

TEST(EliminateUnsqueezeSqueeze, SqueezeThenUnsqueezeOfKnownSizeOneDimensions) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1,3,1] x) => (float[2,1,3,1] y) <int64[2] a = {1, -1}, int64[2] b = {3, 1}> {
      s = Squeeze(x, a)
      u = Unsqueeze(s, b)
      y = Relu(u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,1,3,1] x) => (float[2,1,3,1] y) <int64[2] a = {1, -1}, int64[2] b = {3, 1}> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,3,1] x) => (float[1,3,1] y) {
      s = Squeeze(x)
      u = Unsqueeze<axes = [0, 2]>(s)
      y = Relu(u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,3,1] x) => (float[1,3,1] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateUnsqueezeSqueeze, KeepsSqueezeThenUnsqueezeThatMovesOrMayFail) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,1,3] x) => (float[1,2,3] y) {
      s = Squeeze<axes = [1]>(x)
      u = Unsqueeze<axes = [0]>(s)
      y = Relu(u)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,3,1] x) => (float[1,3] y) {
      s = Squeeze(x)
      u = Unsqueeze<axes = [0]>(s)
      y = Relu(u)
    }
  )", kPass, ""});
  // N may not be 1 (then the Squeeze fails, which must stay so).
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,N,3] x) => (float[2,N,3] y) {
      s = Squeeze<axes = [1]>(x)
      u = Unsqueeze<axes = [1]>(s)
      y = Relu(u)
    }
  )", kPass, "", std::nullopt, false});
  // Without axes, an unknown dimension may or may not be squeezed.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[1,N] x) => (float[1,N] y) {
      s = Squeeze(x)
      u = Unsqueeze<axes = [0]>(s)
      y = Relu(u)
    }
  )", kPass, ""});
}

TEST(EliminateUnsqueezeSqueeze, KeepsNonConstantAxes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] a = {0}> {
      u = Unsqueeze(x, a)
      n = Neg(a)
      z = Add(n, a)
      s = Squeeze(u, z)
      y = Relu(s)
    }
  )", kPass, ""});
}

TEST(EliminateUnsqueezeSqueeze, FirstNodeStaysForItsOtherUsers) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y, float[1,2,3] z) {
      u = Unsqueeze<axes = [0]>(x)
      s = Squeeze<axes = [0]>(u)
      y = Relu(s)
      z = Neg(u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y, float[1,2,3] z) {
      u = Unsqueeze<axes = [0]>(x)
      y = Relu(x)
      z = Neg(u)
    }
  )"});
}

TEST(EliminateUnsqueezeSqueeze, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      u = Unsqueeze<axes = [0]>(r)
      y = Squeeze<axes = [0]>(u)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      u = Unsqueeze<axes = [0]>(x)
      y = Squeeze<axes = [0]>(u)
    }
  )", kPass, ""});
}

TEST(EliminateUnsqueezeSqueeze, InsideSubgraphsAndAcrossScopes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      u = Unsqueeze<axes = [0]>(x)
      y = If(b) <then_branch = t () => (float[2,3] v) { s = Squeeze<axes = [0]>(u)  v = Neg(s) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      u = Unsqueeze<axes = [0]>(x)
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Neg(x) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
