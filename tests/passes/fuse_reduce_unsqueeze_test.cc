#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-reduce-unsqueeze"};
const std::vector<std::string> kPassAndCleanup = {"fuse-reduce-unsqueeze", "eliminate-dead-nodes"};

TEST(FuseReduceUnsqueeze, AxesAttributes) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3,4] x) => (float[2,1,1] y) {
      t = ReduceMean<axes = [1, 2], keepdims = 0>(x)
      y = Unsqueeze<axes = [1, 2]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3,4] x) => (float[2,1,1] y) {
      y = ReduceMean<axes = [1, 2], keepdims = 1>(x)
    }
  )"}), 1u);
}

TEST(FuseReduceUnsqueeze, AxesInputsAndNegativeAxes) {
  // ReduceSum takes axes as an input from 13; Unsqueeze too. -1 of rank 3 is 2.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,1] y)
    <int64[1] ra = {-1}, int64[1] ua = {2}>
    {
      t = ReduceSum<keepdims = 0>(x, ra)
      y = Unsqueeze(t, ua)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[2,3,1] y)
    <int64[1] ra = {-1}>
    {
      y = ReduceSum<keepdims = 1>(x, ra)
    }
  )"});
  // ReduceMax keeps its axes attribute at 13 (the input form starts at 18), listed in another order.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[1,3,1] y)
    <int64[2] ua = {2, 0}>
    {
      t = ReduceMax<axes = [0, -1], keepdims = 0>(x)
      y = Unsqueeze(t, ua)
    }
  )", kPassAndCleanup, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3,4] x) => (float[1,3,1] y)
    {
      y = ReduceMax<axes = [0, -1], keepdims = 1>(x)
    }
  )"});
}

TEST(FuseReduceUnsqueeze, Opset18AxesInput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3,4] x) => (float[2,1,4] y)
    <int64[1] a = {1}>
    {
      t = ReduceL2<keepdims = 0>(x, a)
      y = Unsqueeze(t, a)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3,4] x) => (float[2,1,4] y)
    <int64[1] a = {1}>
    {
      y = ReduceL2<keepdims = 1>(x, a)
    }
  )", runtime::Tolerance{1e-6, 1e-6}});
}

TEST(FuseReduceUnsqueeze, ReduceAllWithKnownRankAndArgMax) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,1] y) {
      t = ReduceProd<keepdims = 0>(x)
      y = Unsqueeze<axes = [0, 1]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,1] y) {
      y = ReduceProd<keepdims = 1>(x)
    }
  )", runtime::Tolerance{1e-6, 1e-6}});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (int64[2,1] y)
    <int64[1] a = {-1}>
    {
      t = ArgMax<axis = 1, keepdims = 0>(x)
      y = Unsqueeze(t, a)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (int64[2,1] y)
    <int64[1] a = {-1}>
    {
      y = ArgMax<axis = 1, keepdims = 1>(x)
    }
  )"});
}

TEST(FuseReduceUnsqueeze, InnerValueTakesTheUnsqueezedType) {
  // t had value_info [2]; the reduction's output is now [2, 1] and takes y's name and type.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,1] z)
    <float[2] t, float[2,1] y>
    {
      t = ReduceMin<axes = [1], keepdims = 0>(x)
      y = Unsqueeze<axes = [1]>(t)
      z = Neg(y)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,1] z)
    <float[2,1] y>
    {
      y = ReduceMin<axes = [1], keepdims = 1>(x)
      z = Neg(y)
    }
  )"});
}

TEST(FuseReduceUnsqueeze, InsideSubgraph) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[2,3] x) => (float[2,1] y) {
      y = If(b) <then_branch = th () => (float[2,1] v) {
                    t = ReduceSum<axes = [1], keepdims = 0>(x)
                    v = Unsqueeze<axes = [1]>(t)
                  },
                  else_branch = el () => (float[2,1] w) { w = ReduceMax<axes = [1]>(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (bool b, float[2,3] x) => (float[2,1] y) {
      y = If(b) <then_branch = th () => (float[2,1] v) { v = ReduceSum<axes = [1], keepdims = 1>(x) },
                  else_branch = el () => (float[2,1] w) { w = ReduceMax<axes = [1]>(x) }>
    }
  )", runtime::Tolerance{1e-6, 1e-6}});
}

// ----- Does not apply -----

TEST(FuseReduceUnsqueeze, KeepsOtherAxes) {
  // Reduced axis 1, re-inserted at 0: a transposed layout.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[1,2] y) {
      t = ReduceMean<axes = [1], keepdims = 0>(x)
      y = Unsqueeze<axes = [0]>(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3,4] x) => (float[2,1] y) {
      t = ReduceMean<axes = [1, 2], keepdims = 0>(x)
      y = Unsqueeze<axes = [1]>(t)
    }
  )", kPass, ""});
}

TEST(FuseReduceUnsqueeze, KeepsKeepdimsOneAndNoopReductions) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,1,1] y) {
      t = ReduceMean<axes = [1]>(x)
      y = Unsqueeze<axes = [1]>(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3] x) => (float[A,B,C] y)
    <int64[1] a = {1}>
    {
      t = ReduceMean<keepdims = 0, noop_with_empty_axes = 1>(x)
      y = Unsqueeze(t, a)
    }
  )", kPass, ""});
}

TEST(FuseReduceUnsqueeze, KeepsUnknownRanksAndNonConstantAxes) {
  // Reduce-all needs the rank; so do mixed-sign axes.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] a) => (float[1,1] y) {
      x = Identity(a)
      t = ReduceSum<keepdims = 0>(x)
      y = Unsqueeze<axes = [0, 1]>(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] a) => (float[2,1] y) {
      x = Identity(a)
      t = ReduceSum<axes = [1], keepdims = 0>(x)
      y = Unsqueeze<axes = [-1]>(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x, int64[1] ua) => (float[A,B] y) {
      t = ReduceMax<axes = [1], keepdims = 0>(x)
      y = Unsqueeze(t, ua)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
}

TEST(FuseReduceUnsqueeze, NegativeAxesOfUnknownRankThatMatch) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] a) => (float[2,1] y) {
      x = Identity(a)
      t = ReduceSum<axes = [-1], keepdims = 0>(x)
      y = Unsqueeze<axes = [-1]>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] a) => (float[2,1] y) {
      x = Identity(a)
      y = ReduceSum<axes = [-1], keepdims = 1>(x)
    }
  )", runtime::Tolerance{1e-6, 1e-6}});
}

TEST(FuseReduceUnsqueeze, KeepsAReductionUsedElsewhere) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,1] y, float[2] t) {
      t = ReduceSum<axes = [1], keepdims = 0>(x)
      y = Unsqueeze<axes = [1]>(t)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
