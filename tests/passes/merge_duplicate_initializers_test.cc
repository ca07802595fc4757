#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"merge-duplicate-initializers"};

TEST(MergeDuplicateInitializers, MergesEqualInitializersIntoTheFirst) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] a = {1, 2}, float[2] b = {1, 2}, float[2] c = {1, 2}> {
      t = Mul(x, b)
      u = Add(t, a)
      y = Sub(u, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] a = {1, 2}> {
      t = Mul(x, a)
      u = Add(t, a)
      y = Sub(u, a)
    }
  )"}), 2u);
}

TEST(MergeDuplicateInitializers, KeepsDifferentContentsTypesOrDims) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] a = {1, 2}, float[2] b = {1, 3}> {
      t = Mul(x, b)
      y = Add(t, a)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,2] x) => (float[1,2] y) <float[2] a = {1, 2}, float[1,2] b = {1, 2}> {
      t = Mul(x, b)
      y = Add(t, a)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (int32[2] x) => (int32[2] y) <int32[2] a = {1, 2}, int64[2] b = {1, 2}> {
      t = Cast<to = 6>(b)
      u = Mul(x, t)
      y = Add(u, a)
    }
  )", kPass, ""});
}

TEST(MergeDuplicateInitializers, KeepsInitializersThatAreGraphInputs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] a) => (float[2] y) <float[2] a = {1, 2}, float[2] b = {1, 2}> {
      t = Mul(x, b)
      y = Add(t, a)
    }
  )", kPass, ""});
}

TEST(MergeDuplicateInitializers, StringTensors) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (string[2] x) => (string[2] y, string[2] z) <string[2] a = {"p", "q"}, string[2] b = {"p", "q"}> {
      y = Identity(a)
      z = Identity(b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (string[2] x) => (string[2] y, string[2] z) <string[2] a = {"p", "q"}> {
      y = Identity(a)
      z = Identity(a)
    }
  )"});
}

TEST(MergeDuplicateInitializers, GraphOutputKeepsItsName) {
  // b is a graph output: a takes its name.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] b) <float[2] a = {1, 2}, float[2] b = {1, 2}> {
      y = Add(x, a)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] b) <float[2] b = {1, 2}> {
      y = Add(x, b)
    }
  )"});
  // Both are graph outputs: both stay.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] a, float[2] b) <float[2] a = {1, 2}, float[2] b = {1, 2}> {
      y = Add(x, a)
    }
  )", kPass, ""});
}

TEST(MergeDuplicateInitializers, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) <float[2] p = {3, 4}, float[2] q = {3, 4}> { s = Add(x, p)  v = Mul(s, q) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) <float[2] p = {3, 4}> { s = Add(x, p)  v = Mul(s, p) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
