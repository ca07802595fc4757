#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-pad"};

TEST(EliminateNoopPad, RemovesAPadOfZeros) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      t = Pad(x, p)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateNoopPad, AnyModeAndConstantValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}, float v = {5}> {
      t = Pad<mode = "reflect">(x, p, v)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 11]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}, float v = {5}> {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateNoopPad, AxesInputAtOpset18) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] p = {0, 0}, int64[1] a = {1}> {
      t = Pad(x, p, , a)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 18]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] p = {0, 0}, int64[1] a = {1}> {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateNoopPad, PadsAttributeBeforeOpset11) {
  CheckPassCase({R"(
    <ir_version: 4, opset_import: ["" : 10]>
    g (float[2,3] x) => (float[2,3] y) {
      t = Pad<pads = [0, 0, 0, 0]>(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 4, opset_import: ["" : 10]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      t = Pad<paddings = [0, 0, 0, 0]>(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 4, opset_import: ["" : 10]>
    g (float[2,3] x) => (float[2,4] y) {
      t = Pad<pads = [0, 0, 0, 1]>(x)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopPad, KeepsRealPadsAndCrops) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,4] y) <int64[4] p = {0, 1, 0, 0}> {
      t = Pad(x, p)
      y = Relu(t)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,2] y) <int64[4] p = {0, 0, 0, -1}> {
      t = Pad(x, p)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopPad, KeepsNonConstantPads) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Shape(x)
      z = Sub(s, s)
      p = Concat<axis = 0>(z, z)
      t = Pad(x, p)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopPad, KeepsPadsOfTheWrongLength) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] p = {0, 0}> {
      t = Pad(x, p)
      y = Relu(t)
    }
  )", kPass, "", std::nullopt, /*run_numerically=*/false});  // the runtime rejects the Pad
}

TEST(EliminateNoopPad, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      r = Relu(x)
      y = Pad(r, p)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      y = Pad(x, p)
    }
  )", kPass, ""});
}

TEST(EliminateNoopPad, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { q = Pad(x, p)  v = Neg(q) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2,3] x) => (float[2,3] y) <int64[4] p = {0, 0, 0, 0}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Neg(x) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
