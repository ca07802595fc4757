#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-slice"};

// Slice(x, starts, ends[, axes[, steps]]) at opset 13, with the parameters as initializers written
// as "int64[1] st = {0}, int64[1] en = {4}, ...", followed by Relu.
std::string SliceModel(const std::string& x_type, const std::string& initializers, const std::string& inputs) {
  return "<ir_version: 8, opset_import: [\"\" : 13]>\ng (" + x_type + " x) => (float y) <" + initializers +
         "> {\n  t = Slice(x, " + inputs + ")\n  y = Relu(t)\n}\n";
}

std::string Removed(const std::string& x_type, const std::string& initializers) {
  return "<ir_version: 8, opset_import: [\"\" : 13]>\ng (" + x_type + " x) => (float y) <" + initializers +
         "> {\n  y = Relu(x)\n}\n";
}

const std::string kWholeAxis1 = "int64[1] st = {0}, int64[1] en = {9223372036854775807}, int64[1] ax = {1}";

TEST(EliminateNoopSlice, RemovesASliceToTheEndOfAnUnknownDimension) {
  EXPECT_EQ(CheckPassCase({SliceModel("float[2,N]", kWholeAxis1, "st, en, ax"), kPass, Removed("float[2,N]", kWholeAxis1)}),
            1u);
}

TEST(EliminateNoopSlice, EndsBeyondAKnownDimension) {
  std::string init = "int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}, int64[1] sp = {1}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en, ax, sp"), kPass, Removed("float[2,4]", init)});
  init = "int64[1] st = {0}, int64[1] en = {1000}, int64[1] ax = {1}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en, ax"), kPass, Removed("float[2,4]", init)});
}

TEST(EliminateNoopSlice, NegativeStartThatClampsToZero) {
  std::string init = "int64[1] st = {-4}, int64[1] en = {4}, int64[1] ax = {1}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en, ax"), kPass, Removed("float[2,4]", init)});
  init = "int64[1] st = {-3}, int64[1] en = {4}, int64[1] ax = {1}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en, ax"), kPass, ""});
}

TEST(EliminateNoopSlice, DefaultAxesAndNegativeAxes) {
  std::string init = "int64[2] st = {0, 0}, int64[2] en = {2, 100}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en"), kPass, Removed("float[2,4]", init)});
  init = "int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {-1}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en, ax"), kPass, Removed("float[2,4]", init)});
}

TEST(EliminateNoopSlice, Int32Parameters) {
  std::string init = "int32[1] st = {0}, int32[1] en = {2147483647}, int32[1] ax = {1}";
  CheckPassCase({SliceModel("float[2,4]", init, "st, en, ax"), kPass, Removed("float[2,4]", init)});
  // With an unknown dimension only INT64_MAX surely reaches the end.
  CheckPassCase({SliceModel("float[2,N]", init, "st, en, ax"), kPass, ""});
}

TEST(EliminateNoopSlice, KeepsSlicesThatDropElements) {
  CheckPassCase({SliceModel("float[2,4]", "int64[1] st = {1}, int64[1] en = {4}, int64[1] ax = {1}", "st, en, ax"),
                 kPass, ""});
  CheckPassCase({SliceModel("float[2,4]", "int64[1] st = {0}, int64[1] en = {3}, int64[1] ax = {1}", "st, en, ax"),
                 kPass, ""});
  CheckPassCase({SliceModel("float[2,4]", "int64[1] st = {0}, int64[1] en = {-1}, int64[1] ax = {1}", "st, en, ax"),
                 kPass, ""});
  CheckPassCase({SliceModel("float[2,4]",
                            "int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}, int64[1] sp = {2}",
                            "st, en, ax, sp"),
                 kPass, ""});
  CheckPassCase({SliceModel("float[2,4]",
                            "int64[1] st = {-1}, int64[1] en = {-9223372036854775807}, int64[1] ax = {1}, int64[1] sp = {-1}",
                            "st, en, ax, sp"),
                 kPass, ""});  // reverses
  CheckPassCase({SliceModel("float[2,N]", "int64[1] st = {0}, int64[1] en = {100}, int64[1] ax = {1}", "st, en, ax"),
                 kPass, ""});  // N may exceed 100
}

TEST(EliminateNoopSlice, KeepsANegativeAxisOfAnInputOfUnknownRank) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4] x) => (float[2,4] y)
      <int64[1] st = {0}, int64[1] en = {9223372036854775807}, int64[1] ax = {-1}> {
      r = Relu(x)
      t = Slice(r, st, en, ax)
      y = Neg(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSlice, KeepsNonConstantParameters) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4] x) => (float[2,4] y) <int64[1] en = {4}, int64[1] ax = {1}> {
      s = Shape(x)
      z = Sub(s, s)
      st = Slice(z, ax, en)
      t = Slice(x, st, en, ax)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSlice, Slice1TakesAttributes) {
  CheckPassCase({R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[2,4] x) => (float[2,4] y) {
      t = Slice<starts = [0, 0], ends = [2, 1000], axes = [0, 1]>(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[2,4] x) => (float[2,4] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[2,4] x) => (float[2,4] y) {
      t = Slice<starts = [0], ends = [2]>(x)
      y = Relu(t)
    }
  )", kPass, R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[2,4] x) => (float[2,4] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 4, opset_import: ["" : 9]>
    g (float[2,4] x) => (float[2,3] y) {
      t = Slice<starts = [0], ends = [3], axes = [1]>(x)
      y = Relu(t)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSlice, Opset10) {
  std::string init = "int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}";
  std::string model = SliceModel("float[2,4]", init, "st, en, ax");
  model.replace(model.find("13"), 2, "10");
  std::string expected = Removed("float[2,4]", init);
  expected.replace(expected.find("13"), 2, "10");
  CheckPassCase({model, kPass, expected});
}

TEST(EliminateNoopSlice, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4] x) => (float[2,4] y) <int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}, float[2,4] r> {
      r = Relu(x)
      y = Slice(r, st, en, ax)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4] x) => (float[2,4] y) <int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}, float[2,4] y> {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (float[2,4] x) => (float[2,4] y) <int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}> {
      y = Slice(x, st, en, ax)
    }
  )", kPass, ""});
}

TEST(EliminateNoopSlice, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,4] x) => (float[2,4] y) <int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}> {
      y = If(b) <then_branch = t () => (float[2,4] v) { p = Slice(x, st, en, ax)  v = Neg(p) },
                  else_branch = e () => (float[2,4] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 13]>
    g (bool b, float[2,4] x) => (float[2,4] y) <int64[1] st = {0}, int64[1] en = {4}, int64[1] ax = {1}> {
      y = If(b) <then_branch = t () => (float[2,4] v) { v = Neg(x) },
                  else_branch = e () => (float[2,4] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
