#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-flatten"};

std::string FlattenModel(const std::string& x_type, const std::string& attributes, int opset = 13) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\ng (" + x_type +
         " x) => (float y) {\n  f = Flatten" + attributes + "(x)\n  y = Relu(f)\n}\n";
}

std::string Removed(const std::string& x_type, int opset = 13) {
  return "<ir_version: 8, opset_import: [\"\" : " + std::to_string(opset) + "]>\ng (" + x_type +
         " x) => (float y) {\n  y = Relu(x)\n}\n";
}

TEST(EliminateNoopFlatten, RemovesFlattenOfA2DInputAtAxis1) {
  EXPECT_EQ(CheckPassCase({FlattenModel("float[N,8]", "<axis = 1>"), kPass, Removed("float[N,8]")}), 1u);
  CheckPassCase({FlattenModel("float[N,M]", ""), kPass, Removed("float[N,M]")});  // axis defaults to 1
  CheckPassCase({FlattenModel("float[2,8]", "<axis = -1>"), kPass, Removed("float[2,8]")});
}

TEST(EliminateNoopFlatten, Axis0Or2NeedsASizeOneDimension) {
  CheckPassCase({FlattenModel("float[1,8]", "<axis = 0>"), kPass, Removed("float[1,8]")});
  CheckPassCase({FlattenModel("float[2,8]", "<axis = 0>"), kPass, ""});
  CheckPassCase({FlattenModel("float[N,8]", "<axis = 0>"), kPass, ""});
  CheckPassCase({FlattenModel("float[8,1]", "<axis = 2>"), kPass, Removed("float[8,1]")});
  CheckPassCase({FlattenModel("float[8,2]", "<axis = 2>"), kPass, ""});
  CheckPassCase({FlattenModel("float[8,1]", "<axis = -2>"), kPass, ""});  // axis 0: [1, 8]
}

TEST(EliminateNoopFlatten, KeepsInputsThatAreNot2D) {
  CheckPassCase({FlattenModel("float[2,3,4]", "<axis = 1>"), kPass, ""});
  CheckPassCase({FlattenModel("float[6]", "<axis = 1>"), kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      r = Relu(x)
      f = Flatten<axis = 1>(r)
      y = Neg(f)
    }
  )", kPass, ""});
}

TEST(EliminateNoopFlatten, Opset9) {
  CheckPassCase({FlattenModel("float[2,8]", "<axis = 1>", 9), kPass, Removed("float[2,8]", 9)});
}

TEST(EliminateNoopFlatten, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <float[2,3] r> {
      r = Relu(x)
      y = Flatten(r)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) <float[2,3] y> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Flatten(x)
    }
  )", kPass, ""});
}

TEST(EliminateNoopFlatten, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,3] x) => (float[2,3] y) {
      y = If(b) <then_branch = t () => (float[2,3] v) { f = Flatten(x)  v = Neg(f) },
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
