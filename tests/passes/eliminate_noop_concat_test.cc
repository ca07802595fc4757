#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-concat"};

TEST(EliminateNoopConcat, RemovesConcatOfOneInput) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      c = Concat<axis = 1>(x)
      y = Relu(c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateNoopConcat, InputOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      c = Concat<axis = -1>(r)
      y = Neg(c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      c = Relu(x)
      y = Neg(c)
    }
  )"});
}

TEST(EliminateNoopConcat, KeepsConcatOfTwoInputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[4,3] y) {
      c = Concat<axis = 0>(x, x)
      y = Relu(c)
    }
  )", kPass, ""});
}

TEST(EliminateNoopConcat, KeepsAnInvalidConcat) {
  // The runtime rejects these: they stay, to fail as before.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      c = Concat<axis = 2>(x)
      y = Relu(c)
    }
  )", kPass, "", std::nullopt, false});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      c = Concat(x)
      y = Relu(c)
    }
  )", kPass, "", std::nullopt, false});
}

TEST(EliminateNoopConcat, Concat1DefaultsTheAxis) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      c = Concat(x)
      y = Relu(c)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateNoopConcat, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      y = Concat<axis = 0>(r)
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
      y = Concat<axis = 0>(x)
    }
  )", kPass, ""});
}

TEST(EliminateNoopConcat, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = t () => (float[2,3] v) { c = Concat<axis = 0>(x)  v = Neg(c) },
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
