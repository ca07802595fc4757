#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"fuse-reshape-copy-dims", "eliminate-dead-nodes"};

TEST(FuseReshapeCopyDims, BertStyleHeadSplit) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[B,S,8] x) => (float[B,S,2,4] y)
    <int64 i0 = {0}, int64 i1 = {1}, int64[1] zero = {0}, int64[2] heads = {2, 4}>
    {
      s = Shape(x)
      b = Gather(s, i0)
      t = Gather(s, i1)
      ub = Unsqueeze(b, zero)
      ut = Unsqueeze(t, zero)
      shape = Concat<axis = 0>(ub, ut, heads)
      y = Reshape(x, shape)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[B,S,8] x) => (float[B,S,2,4] y)
    <int64[4] y_shape = {0, 0, 2, 4}>
    {
      y = Reshape(x, y_shape)
    }
  )"}), 5u);  // the fusion (which removes the chain), then the 4 initializers dead-node elimination removes
}

TEST(FuseReshapeCopyDims, SliceOfShapeAndSymbolicDimOfAnotherValue) {
  // c's first two dims are declared the same symbols as x's: copying x's dims gives them.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[B,S,2,4] x, float[B,S,3] c) => (float[B,S,8] y)
    <int64[1] start = {0}, int64[1] end = {-1}, int64[1] last = {8}>
    {
      s = Shape(c)
      head = Slice(s, start, end)
      shape = Concat<axis = 0>(head, last)
      y = Reshape(x, shape)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[B,S,2,4] x, float[B,S,3] c) => (float[B,S,8] y)
    <int64[3] y_shape = {0, 0, 8}>
    {
      y = Reshape(x, y_shape)
    }
  )"});
}

TEST(FuseReshapeCopyDims, KeepsDimsAtOtherPositionsAndAllowZero) {
  // Dim 1 of x at position 0: a 0 there would copy dim 0.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[B,S] x) => (float[S,B] y) <int64[1] one = {1}, int64[1] zero = {0}> {
      s = Shape(x)
      a = Gather(s, one)
      b = Gather(s, zero)
      shape = Concat<axis = 0>(a, b)
      y = Reshape(x, shape)
    }
  )", kPass, ""});
  // Another value's dim with a different (or no) symbol.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[B,S] x, float[C,S] c) => (float[B,S] y) {
      s = Shape(c)
      y = Reshape(x, s)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[B,S] x) => (float[B,S] y) <int64[1] zero = {0}, int64[1] last = {-1}> {
      s = Shape(x)
      b = Gather(s, zero)
      shape = Concat<axis = 0>(b, last)
      y = Reshape<allowzero = 1>(x, shape)
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
