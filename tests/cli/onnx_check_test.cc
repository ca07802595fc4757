// onnx-check: agreement, tolerances, top-1, layerwise divergence, JSON, exit codes.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"
#include "tests/json_value.h"

namespace onnxkit::testing {
namespace {

std::string Check(const std::string& arguments) { return ToolPath("onnx-check") + " " + arguments; }

// y = Relu(Add(Relu(x), c)): the models below differ only in c.
std::string Model(std::string_view c) {
  return fmt::format(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N, 4] x) => (float[N, 4] y) {{
      c = Constant<value = float[4] {{{}}}>()
      t = Relu(x)
      u = Add(t, c)
      y = Relu(u)
    }}
  )", c);
}

class OnnxCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteTextModel(temp_ / "a.onnx", Model("0.1, 0.2, 0.3, 0.4"));
    WriteTextModel(temp_ / "same.onnx", Model("0.1, 0.2, 0.3, 0.4"));
    WriteTextModel(temp_ / "close.onnx", Model("0.1, 0.2, 0.3, 0.40001"));
    WriteTextModel(temp_ / "far.onnx", Model("0.1, 0.2, 0.3, 2.4"));
  }
  std::string path(const char* name) const { return (temp_ / name).string(); }
  TempDir temp_;
};

TEST_F(OnnxCheck, IdenticalModelsAgree) {
  auto result = RunCommand(Check(path("a.onnx") + " " + path("same.onnx")));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("outputs agree"), std::string::npos) << result.out;
}

TEST_F(OnnxCheck, ToleranceDecides) {
  EXPECT_EQ(RunCommand(Check(path("a.onnx") + " " + path("close.onnx"))).exit_code, 0);
  auto strict = RunCommand(Check(path("a.onnx") + " " + path("close.onnx") + " --rtol 0 --atol 1e-7"));
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.out.find("FAIL"), std::string::npos) << strict.out;
  auto far = RunCommand(Check(path("a.onnx") + " " + path("far.onnx") + " --samples 3"));
  EXPECT_EQ(far.exit_code, 1);
  EXPECT_NE(far.out.find("outputs DIFFER"), std::string::npos) << far.out;
  EXPECT_NE(far.out.find("3 sample(s)"), std::string::npos) << far.out;
  EXPECT_EQ(RunCommand(Check(path("a.onnx") + " " + path("far.onnx") + " --atol 3")).exit_code, 0);
}

TEST_F(OnnxCheck, JsonReport) {
  auto result = RunCommand(Check(path("a.onnx") + " " + path("far.onnx") + " --json --shape x=5,4"));
  EXPECT_EQ(result.exit_code, 1);
  std::string error;
  auto json = ParseJson(result.out, &error);
  ASSERT_TRUE(json) << error << "\n" << result.out;
  EXPECT_FALSE((*json)["passed"].boolean);
  const JsonValue& y = (*json)["outputs"][0];
  EXPECT_EQ(y["name"].string, "y");
  EXPECT_NEAR(y["max_abs_error"].number, 2.0, 1e-5);
  EXPECT_LT(y["cosine"].number, 1.0);
  // [5, 4] looks like class scores: the larger last element makes every row's arg-max 3 in far.onnx.
  EXPECT_EQ(y["top1_agreement"].kind, JsonValue::Kind::kNumber);
}

TEST_F(OnnxCheck, LayerwiseNamesTheFirstDivergingNode) {
  auto result = RunCommand(Check(path("a.onnx") + " " + path("far.onnx") + " --layerwise --json"));
  EXPECT_EQ(result.exit_code, 1);
  auto json = ParseJson(result.out);
  ASSERT_TRUE(json) << result.out;
  const JsonValue& layerwise = (*json)["layerwise"];
  EXPECT_GE(layerwise["compared"].number, 3);  // c, t, u, y
  EXPECT_EQ(layerwise["first_divergence"]["tensor"].string, "c");
  auto text = RunCommand(Check(path("a.onnx") + " " + path("far.onnx") + " --layerwise"));
  EXPECT_NE(text.out.find("first divergence: node"), std::string::npos) << text.out;
}

TEST_F(OnnxCheck, DataFolder) {
  std::filesystem::create_directories(temp_ / "data" / "test_data_set_0");
  std::filesystem::create_directories(temp_ / "data" / "test_data_set_1");
  WriteFloatNpy(temp_ / "data" / "test_data_set_0" / "x.npy", {1, 4}, {1, 2, 3, 4});
  WriteFloatNpy(temp_ / "data" / "test_data_set_1" / "x.npy", {2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  auto result = RunCommand(Check(path("a.onnx") + " " + path("same.onnx") + " --data " + (temp_ / "data").string()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("2 sample(s)"), std::string::npos) << result.out;
}

TEST_F(OnnxCheck, Errors) {
  ExpectOneLineError(RunCommand(Check(path("a.onnx") + " " + path("missing.onnx"))), 1, "missing.onnx: no such file");
  WriteTextModel(temp_ / "two.onnx", R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N, 4] x) => (float[N, 4] y, float[N, 4] z) { y = Relu(x)  z = Relu(x) }
  )");
  ExpectOneLineError(RunCommand(Check(path("a.onnx") + " " + path("two.onnx"))), 1, "1 and 2 outputs");
  ExpectOneLineError(RunCommand(Check(path("a.onnx"))), 2, "candidate");
}

}  // namespace
}  // namespace onnxkit::testing
