#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {


namespace {

const std::vector<std::string> kPass = {"fuse-consecutive-slices", "eliminate-dead-nodes"};

TEST(FuseConsecutiveSlices, DisjointAxes) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6,8] x) => (float[2,6,3] y)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] a1 = {0}, int64[1] s2 = {0}, int64[1] e2 = {6},
     int64[1] a2 = {2}, int64[1] st2 = {2}>
    {
      t = Slice(x, s1, e1, a1)
      y = Slice(t, s2, e2, a2, st2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6,8] x) => (float[2,6,3] y)
    <int64[2] y_starts = {1, 0}, int64[2] y_ends = {3, 6}, int64[2] y_axes = {0, 2}, int64[2] y_steps = {1, 2}>
    {
      y = Slice(x, y_starts, y_ends, y_axes, y_steps)
    }
  )"}), 8u);  // the fusion, then the seven old constants
}

TEST(FuseConsecutiveSlices, DefaultAxesNegativeAxesAndInt32Indices) {
  // The first's axes default to [0]; the second's -1 is axis 2 of a rank-3 x; no steps at all.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6,8] x) => (float[2,6,4] y)
    <int32[1] s1 = {-2}, int32[1] e1 = {2147483647}, int32[1] s2 = {4}, int32[1] e2 = {8}, int32[1] a2 = {-1}>
    {
      t = Slice(x, s1, e1)
      y = Slice(t, s2, e2, a2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6,8] x) => (float[2,6,4] y)
    <int64[2] y_starts = {-2, 4}, int64[2] y_ends = {2147483647, 8}, int64[2] y_axes = {0, 2}>
    {
      y = Slice(x, y_starts, y_ends, y_axes)
    }
  )"});
}

TEST(FuseConsecutiveSlices, NegativeStepsAndClampedEnds) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] x) => (float[4,3] y)
    <int64[1] s1 = {-1}, int64[1] e1 = {-100}, int64[1] a1 = {0}, int64[1] st1 = {-1},
     int64[1] s2 = {1}, int64[1] e2 = {100}, int64[1] a2 = {1}, int64[1] st2 = {2}>
    {
      t = Slice(x, s1, e1, a1, st1)
      y = Slice(t, s2, e2, a2, st2)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] x) => (float[4,3] y)
    <int64[2] y_starts = {-1, 1}, int64[2] y_ends = {-100, 100}, int64[2] y_axes = {0, 1}, int64[2] y_steps = {-1, 2}>
    {
      y = Slice(x, y_starts, y_ends, y_axes, y_steps)
    }
  )"});
}

TEST(FuseConsecutiveSlices, AttributesBeforeOpset10AndSubgraph) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 9]>
    g (float[4,6] x) => (float[2,3] y) {
      t = Slice<starts = [1], ends = [3]>(x)
      y = Slice<starts = [0], ends = [3], axes = [1]>(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 9]>
    g (float[4,6] x) => (float[2,3] y) {
      y = Slice<starts = [1, 0], ends = [3, 3], axes = [0, 1]>(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[4,6] x) => (float[2,3] y)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] a1 = {0}, int64[1] s2 = {0}, int64[1] e2 = {3}, int64[1] a2 = {1}>
    {
      y = If(b) <then_branch = th () => (float[2,3] v) { t = Slice(x, s1, e1, a1)  v = Slice(t, s2, e2, a2) },
                  else_branch = el () => (float[2,3] w) { w = Slice(x, s1, e2, a2) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[4,6] x) => (float[2,3] y)
    <int64[1] s1 = {1}, int64[1] e2 = {3}, int64[1] a2 = {1}>
    {
      y = If(b) <then_branch = th () => (float[2,3] v)
                    <int64[2] v_starts = {1, 0}, int64[2] v_ends = {3, 3}, int64[2] v_axes = {0, 1}> {
                    v = Slice(x, v_starts, v_ends, v_axes)
                  },
                  else_branch = el () => (float[2,3] w) { w = Slice(x, s1, e2, a2) }>
    }
  )", std::nullopt, /*run_numerically=*/false});  // the branches' shapes differ on purpose
}

// ----- Does not apply -----

TEST(FuseConsecutiveSlices, KeepsSlicesOfTheSameAxis) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] x) => (float[1,6] y)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] a1 = {0}, int64[1] s2 = {1}, int64[1] e2 = {2}, int64[1] a2 = {-2}>
    {
      t = Slice(x, s1, e1, a1)
      y = Slice(t, s2, e2, a2)
    }
  )", kPass, ""});
  // Both default to axis 0.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] x) => (float[1,6] y)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] s2 = {1}, int64[1] e2 = {2}>
    {
      t = Slice(x, s1, e1)
      y = Slice(t, s2, e2)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveSlices, KeepsNegativeAxesOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] a) => (float[2,3] y)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] a1 = {0}, int64[1] s2 = {0}, int64[1] e2 = {3}, int64[1] a2 = {-1}>
    {
      x = Identity(a)
      t = Slice(x, s1, e1, a1)
      y = Slice(t, s2, e2, a2)
    }
  )", kPass, ""});
}

TEST(FuseConsecutiveSlices, KeepsNonConstantParametersAndSharedMiddle) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] x, int64[1] e2) => (float[2,B] y)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] a1 = {0}, int64[1] s2 = {0}, int64[1] a2 = {1}>
    {
      t = Slice(x, s1, e1, a1)
      y = Slice(t, s2, e2, a2)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[4,6] x) => (float[2,3] y, float[2,6] t)
    <int64[1] s1 = {1}, int64[1] e1 = {3}, int64[1] a1 = {0}, int64[1] s2 = {0}, int64[1] e2 = {3}, int64[1] a2 = {1}>
    {
      t = Slice(x, s1, e1, a1)
      y = Slice(t, s2, e2, a2)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
