#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-expand"};

std::string ExpandModel(const std::string& x_type, const std::string& shape, int opset = 13) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + "g (" + x_type +
         " x) => (float y) <int64" + shape + "> {\n  e = Expand(x, s)\n  y = Relu(e)\n}\n";
}

std::string Removed(const std::string& x_type, const std::string& shape, int opset = 13) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\n" + "g (" + x_type +
         " x) => (float y) <int64" + shape + "> {\n  y = Relu(x)\n}\n";
}

TEST(EliminateNoopExpand, RemovesExpandToTheSameShape) {
  EXPECT_EQ(CheckPassCase({ExpandModel("float[2,3]", "[2] s = {2, 3}"), kPass, Removed("float[2,3]", "[2] s = {2, 3}")}),
            1u);
}

TEST(EliminateNoopExpand, OnesAndShorterShapesBroadcastToTheInput) {
  CheckPassCase({ExpandModel("float[2,3]", "[1] s = {3}"), kPass, Removed("float[2,3]", "[1] s = {3}")});
  CheckPassCase({ExpandModel("float[2,3]", "[2] s = {1, 1}"), kPass, Removed("float[2,3]", "[2] s = {1, 1}")});
  CheckPassCase({ExpandModel("float[N,M]", "[2] s = {1, 1}"), kPass, Removed("float[N,M]", "[2] s = {1, 1}")});
  CheckPassCase({ExpandModel("float[N,3]", "[2] s = {1, 3}"), kPass, Removed("float[N,3]", "[2] s = {1, 3}")});
  CheckPassCase({ExpandModel("float[2,3]", "[0] s = {}"), kPass, Removed("float[2,3]", "[0] s = {}")});
}

TEST(EliminateNoopExpand, KeepsExpandThatGrowsTheShape) {
  CheckPassCase({ExpandModel("float[1,3]", "[2] s = {2, 3}"), kPass, ""});
  CheckPassCase({ExpandModel("float[2,3]", "[3] s = {1, 2, 3}"), kPass, ""});  // adds a dimension
  CheckPassCase({ExpandModel("float[N,3]", "[2] s = {2, 3}"), kPass, ""});     // N may be 1
}

TEST(EliminateNoopExpand, KeepsExpandToANonConstantShape) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      s = Shape(x)
      e = Expand(x, s)
      y = Relu(e)
    }
  )", kPass, ""});
}

TEST(EliminateNoopExpand, KeepsAnInputOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] s = {1}> {
      r = Relu(x)
      e = Expand(r, s)
      y = Neg(e)
    }
  )", kPass, ""});
}

TEST(EliminateNoopExpand, Opset8) {
  CheckPassCase({ExpandModel("float[2,3]", "[2] s = {2, 3}", 8), kPass, Removed("float[2,3]", "[2] s = {2, 3}", 8)});
}

TEST(EliminateNoopExpand, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] s = {3}, float[2,3] r> {
      r = Relu(x)
      y = Expand(r, s)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] s = {3}, float[2,3] y> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <int64[1] s = {3}> {
      y = Expand(x, s)
    }
  )", kPass, ""});
}

TEST(EliminateNoopExpand, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) <int64[1] s = {1}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { p = Expand(x, s)  v = Neg(p) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) <int64[1] s = {1}> {
      y = If(b) <then_branch = t () => (float[2,3] v) { v = Neg(x) },
                  else_branch = e () => (float[2,3] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
