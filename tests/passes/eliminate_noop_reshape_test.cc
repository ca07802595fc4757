#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-reshape"};

// A Reshape of x (declared as `x_type`) to the constant `shape` (written as an int64 initializer
// body, e.g. "[2] s = {2, 3}"), followed by Relu.
std::string ReshapeModel(const std::string& x_type, const std::string& shape, const std::string& attributes = "",
                         int opset = 17) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + "g (" + x_type + " x) => (" +
         x_type + " y) <int64" + shape + "> {\n  r = Reshape" + attributes + "(x, s)\n  y = Relu(r)\n}\n";
}

std::string Removed(const std::string& x_type, const std::string& shape, int opset = 17) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + "g (" + x_type + " x) => (" +
         x_type + " y) <int64" + shape + "> {\n  y = Relu(x)\n}\n";
}

TEST(EliminateNoopReshape, RemovesReshapeToTheSameStaticShape) {
  EXPECT_EQ(CheckPassCase({ReshapeModel("float[2,3]", "[2] s = {2, 3}"), kPass,
                           Removed("float[2,3]", "[2] s = {2, 3}")}),
            1u);
}

TEST(EliminateNoopReshape, ZeroCopiesASymbolicDimension) {
  CheckPassCase({ReshapeModel("float[N,3]", "[2] s = {0, 3}"), kPass, Removed("float[N,3]", "[2] s = {0, 3}")});
  CheckPassCase({ReshapeModel("float[N,M]", "[2] s = {0, 0}"), kPass, Removed("float[N,M]", "[2] s = {0, 0}")});
}

TEST(EliminateNoopReshape, MinusOneDeterminedByKnownDimensions) {
  CheckPassCase({ReshapeModel("float[N,3]", "[2] s = {-1, 3}"), kPass, Removed("float[N,3]", "[2] s = {-1, 3}")});
  CheckPassCase({ReshapeModel("float[2,3,4]", "[3] s = {2, -1, 4}"), kPass,
                 Removed("float[2,3,4]", "[3] s = {2, -1, 4}")});
}

TEST(EliminateNoopReshape, KeepsMinusOneNextToAnUnknownCopiedDimension) {
  // -1 = (N * M) / N is M only when N is not 0: not known.
  CheckPassCase({ReshapeModel("float[N,M]", "[2] s = {0, -1}"), kPass, ""});
}

TEST(EliminateNoopReshape, KeepsAnUnknownDimensionAgainstAPositiveEntry) {
  CheckPassCase({ReshapeModel("float[N,3]", "[2] s = {2, 3}"), kPass, ""});
}

TEST(EliminateNoopReshape, KeepsAReshapeThatChangesTheShape) {
  CheckPassCase({ReshapeModel("float[2,3]", "[2] s = {3, 2}"), kPass, ""});
  CheckPassCase({ReshapeModel("float[2,3]", "[1] s = {6}"), kPass, ""});
  CheckPassCase({ReshapeModel("float[2,3]", "[3] s = {2, 3, 1}"), kPass, ""});
}

TEST(EliminateNoopReshape, AllowZeroMakesZeroLiteral) {
  // allowzero = 1: 0 is a dimension of size 0, not a copy. Such a Reshape of a non-empty tensor
  // fails, so the models are not run.
  CheckPassCase({ReshapeModel("float[N,3]", "[2] s = {0, 3}", "<allowzero = 1>", 14), kPass, "", std::nullopt, false});
  // Before opset 14 the attribute does not exist: 0 copies.
  CheckPassCase({ReshapeModel("float[N,3]", "[2] s = {0, 3}", "", 13), kPass, Removed("float[N,3]", "[2] s = {0, 3}", 13)});
  CheckPassCase({ReshapeModel("float[N,3]", "[2] s = {0, 3}", "<allowzero = 0>", 14), kPass,
                 Removed("float[N,3]", "[2] s = {0, 3}", 14)});
}

TEST(EliminateNoopReshape, KeepsAReshapeToANonConstantShape) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Shape(x)
      r = Reshape(x, s)
      y = Relu(r)
    }
  )", kPass, ""});
}

TEST(EliminateNoopReshape, KeepsAnInputOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] s = {2, 3}> {
      t = Relu(x)
      r = Reshape(t, s)
      y = Neg(r)
    }
  )", kPass, ""});
}

TEST(EliminateNoopReshape, Reshape1TakesTheShapeAttribute) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 4]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Reshape<shape = [2, 3]>(x)
      y = Relu(r)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 4]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 4]>
    g (float[2,3] x) => (float[3,2] y) {
      r = Reshape<shape = [3, 2]>(x)
      y = Relu(r)
    }
  )", kPass, ""});
}

TEST(EliminateNoopReshape, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] s = {2, 3}, float[2,3] t> {
      t = Relu(x)
      y = Reshape(t, s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] s = {2, 3}, float[2,3] y> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) <int64[2] s = {2, 3}> {
      y = Reshape(x, s)
    }
  )", kPass, ""});
}

TEST(EliminateNoopReshape, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2,3] x) => (float[2,3] y) <int64[2] s = {2, 3}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { r = Reshape(x, s)  v = Neg(r) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2,3] x) => (float[2,3] y) <int64[2] s = {2, 3}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Neg(x) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
