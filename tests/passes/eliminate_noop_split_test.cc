#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-split"};

TEST(EliminateNoopSplit, RemovesSplitIntoOneOutput) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Split<axis = 1>(x)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateNoopSplit, SplitSizesInputCoveringTheAxis) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] n = {3}> {
      s = Split<axis = 1>(x, n)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] n = {3}> {
      y = Relu(x)
    }
  )"});
  // The dimension must be known to compare.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,N] x) => (float[2,N] y) <int64[1] n = {2}> {
      s = Split<axis = 1>(x, n)
      y = Relu(s)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSplit, SplitAttributeAndNumOutputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Split<axis = -1, split = [3]>(x)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Split<axis = 0, num_outputs = 1>(x)
      y = Relu(s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateNoopSplit, KeepsSplitIntoSeveralOutputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4] x) => (float[2,2] y, float[2,2] z) {
      a, b = Split<axis = 1>(x)
      y = Relu(a)
      z = Relu(b)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSplit, KeepsSplitSizesThatAreNotTheWholeAxis) {
  // Invalid: the runtime rejects it.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,2] y) <int64[1] n = {2}> {
      s = Split<axis = 1>(x, n)
      y = Relu(s)
    }
  )", kPass, "", std::nullopt, false});
}

TEST(EliminateNoopSplit, KeepsNonConstantSplitSizes) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] one = {1}, int64[1] two = {2}> {
      sh = Shape(x)
      n = Slice(sh, one, two)
      s = Split<axis = 1>(x, n)
      y = Relu(s)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSplit, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      y = Split<axis = 0>(r)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Split<axis = 0>(x)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSplit, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = t () => (float[2,3] v) { s = Split<axis = 0>(x)  v = Neg(s) },
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
