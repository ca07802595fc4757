#include <gtest/gtest.h>

#include "ir/verifier.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using testing::ParseModel;

std::string VerifyText(std::string_view text) {
  auto model = ParseModel(text);
  Status status = VerifyModel(*model);
  return status.ok() ? "" : status.message();
}

TEST(Verifier, AcceptsAValidGraphWithSubgraphs) {
  EXPECT_EQ(VerifyText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(c) <then_branch = t () => (float[2] v) { v = Sigmoid(r) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )"), "");
}

TEST(Verifier, UndefinedInputNamesNodeAndValue) {
  std::string message = VerifyText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Add(x, nope)
    }
  )");
  EXPECT_NE(message.find("(Add)"), std::string::npos) << message;
  EXPECT_NE(message.find("'nope'"), std::string::npos) << message;
  EXPECT_NE(message.find("not defined"), std::string::npos) << message;
}

TEST(Verifier, DuplicateDefinition) {
  std::string message = VerifyText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = Relu(x)
      y = Neg(x)
    }
  )");
  EXPECT_NE(message.find("'y' is defined twice"), std::string::npos) << message;
  EXPECT_NE(message.find("(Relu)"), std::string::npos) << message;
  EXPECT_NE(message.find("(Neg)"), std::string::npos) << message;
}

TEST(Verifier, MissingOpsetImport) {
  std::string message = VerifyText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      y = com.example.Custom(x)
    }
  )");
  EXPECT_NE(message.find("com.example"), std::string::npos) << message;
  EXPECT_NE(message.find("opset_import"), std::string::npos) << message;
}

TEST(Verifier, UndefinedGraphOutput) {
  std::string message = VerifyText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] z) {
      y = Relu(x)
    }
  )");
  EXPECT_NE(message.find("graph output 1"), std::string::npos) << message;
  EXPECT_NE(message.find("'z'"), std::string::npos) << message;
}

TEST(Verifier, Cycle) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      a = Add(x, x)
      y = Mul(a, x)
    }
  )");
  Graph& g = model->graph();
  Node* add = g.nodes()[0];
  Node* mul = g.nodes()[1];
  add->setInput(1, mul->output(0));
  Status status = VerifyModel(*model);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("cycle"), std::string::npos) << status.message();
}

TEST(Verifier, RedefiningAnOuterNameInASubgraph) {
  std::string message = VerifyText(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      r = Relu(x)
      y = If(c) <then_branch = t () => (float[2] r) { r = Sigmoid(x) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )");
  EXPECT_NE(message.find("redefines"), std::string::npos) << message;
  EXPECT_NE(message.find("then_branch"), std::string::npos) << message;
}

TEST(Verifier, SiblingSubgraphValuesAreNotVisible) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool c, float[2] x) => (float[2] y) {
      y = If(c) <then_branch = t () => (float[2] v) { v = Sigmoid(x) },
                  else_branch = e () => (float[2] w) { w = Neg(x) }>
    }
  )");
  Node* if_node = model->graph().nodes()[0];
  Graph* then_branch = if_node->attribute("then_branch")->graph();
  Graph* else_branch = if_node->attribute("else_branch")->graph();
  Node* neg = else_branch->nodes()[0];
  Value* x = neg->input(0);
  neg->setInput(0, then_branch->nodes()[0]->output(0));  // else uses then's value: invalid
  Status status = VerifyModel(*model);
  neg->setInput(0, x);  // restore, so that the branches can be destroyed in any order
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("not visible"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("else_branch"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace onnxkit
