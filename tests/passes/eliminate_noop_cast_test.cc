#include <gtest/gtest.h>

#include "tests/passes/pass_test_runner.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"eliminate-noop-cast"};

TEST(EliminateNoopCast, RemovesCastToTheSameType) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      c = Cast<to = 1>(x)
      y = Relu(c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y) {
      y = Relu(x)
    }
  )"}), 1u);
}

TEST(EliminateNoopCast, IntegerTypeAndTypeFromValueInfo) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (int64[4] x) => (int64[4] y) <int64[4] n> {
      n = Neg(x)
      c = Cast<to = 7>(n)
      y = Abs(c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (int64[4] x) => (int64[4] y) <int64[4] c> {
      c = Neg(x)
      y = Abs(c)
    }
  )"});
}

TEST(EliminateNoopCast, GraphOutputKeepsItsName) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] t> {
      t = Relu(x)
      y = Cast<to = 1>(t)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] y> {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateNoopCast, KeepsCastBetweenGraphInputAndOutput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Cast<to = 1>(x)
    }
  )", kPass, ""});
}

TEST(EliminateNoopCast, KeepsCastToAnotherType) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (double[2] y) {
      c = Cast<to = 11>(x)
      y = Relu(c)
    }
  )", kPass, ""});
}

TEST(EliminateNoopCast, KeepsCastOfAnInputOfUnknownType) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      t = Relu(x)
      c = Cast<to = 1>(t)
      y = Neg(c)
    }
  )", kPass, ""});
}

TEST(EliminateNoopCast, CastLikeOfTheSameType) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[2] x, float[3] like) => (float[2] y) {
      c = CastLike(x, like)
      y = Relu(c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[2] x, float[3] like) => (float[2] y) {
      y = Relu(x)
    }
  )"});
}

TEST(EliminateNoopCast, KeepsCastLikeOfAnotherOrUnknownType) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[2] x, double[3] like) => (double[2] y) {
      c = CastLike(x, like)
      y = Relu(c)
    }
  )", kPass, ""});
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 15]>
    g (float[2] x, float[3] z) => (float[2] y) {
      like = Relu(z)
      c = CastLike(x, like)
      y = Relu(c)
    }
  )", kPass, ""});
}

TEST(EliminateNoopCast, Cast1NamesTheTypeWithAString) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 5]>
    g (float[2] x) => (float[2] y) {
      c = Cast<to = "FLOAT">(x)
      y = Relu(c)
    }
  )", kPass, R"(
    <ir_version: 3, opset_import: ["" : 5]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
    }
  )"});
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 5]>
    g (float[2] x) => (double[2] y) {
      c = Cast<to = "DOUBLE">(x)
      y = Relu(c)
    }
  )", kPass, ""});
}

TEST(EliminateNoopCast, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2] x) => (float[2] y) {
      y = If(b) <then_branch = t () => (float[2] v) { c = Cast<to = 1>(x)  v = Neg(c) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2] x) => (float[2] y) {
      y = If(b) <then_branch = t () => (float[2] v) { v = Neg(x) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )"});
}

TEST(EliminateNoopCast, KeepsASubgraphOutputThatIsAnOuterValue) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(b) <then_branch = t () => (float[2] v) { v = Cast<to = 1>(x) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )", kPass, ""});
}

}  // namespace
}  // namespace onnxkit::testing
