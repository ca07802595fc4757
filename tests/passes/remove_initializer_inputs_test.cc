#include <gtest/gtest.h>

#include "ir/graph.h"
#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"remove-initializer-inputs"};

TEST(RemoveInitializerInputs, TurnsInitializerInputsIntoConstants) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] w, float[2] b) => (float[2] y) <float[2] w = {1, 2}, float[2] b = {3, 4}> {
      t = Mul(x, w)
      y = Add(t, b)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] w = {1, 2}, float[2] b = {3, 4}> {
      t = Mul(x, w)
      y = Add(t, b)
    }
  )"}), 2u);
}

TEST(RemoveInitializerInputs, TheConstantTakesItsTensorsType) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[N] w) => (float[2] y) <float[2] w = {1, 2}> {
      y = Mul(x, w)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] w = {1, 2}> {
      y = Mul(x, w)
    }
  )"});
}

TEST(RemoveInitializerInputs, KeepsInputsWithoutDefaults) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, float[2] w) => (float[2] y) <float[2] b = {3, 4}> {
      t = Mul(x, w)
      y = Add(t, b)
    }
  )", kPass, ""});
}

TEST(RemoveInitializerInputs, NothingBeforeIrVersion4) {
  // Every initializer must be a graph input at IR version 3.
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 8]>
    g (float[2] x, float[2] w) => (float[2] y) <float[2] w = {1, 2}> {
      y = Mul(x, w)
    }
  )", kPass, ""});
}

TEST(RemoveInitializerInputs, NeverInSubgraphs) {
  // A Loop body's inputs are fed by the Loop; the subgraph is left as it is.
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <int64 n = {2}> {
      y = Loop(n, , x) <body = b (int64 i, bool c, float[2] v) => (bool c_out, float[2] v_out) <float[2] v = {1, 1}> {
        c_out = Identity(c)
        v_out = Neg(v)
      }>
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
