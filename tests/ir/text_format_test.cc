#include <gtest/gtest.h>

#include "ir/text_format.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

TEST(TextFormat, PrintedModelParsesBackToTheSameModel) {
  auto model = testing::ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N, 2] x) => (float[N, 2] y) {
      w = Constant<value = float[2] {1.5, -2}>()
      t = Add(x, w)
      y = Relu(t)
    }
  )");
  std::string printed = PrintModelText(*model);
  auto reparsed = ParseModelText(printed);
  ASSERT_TRUE(reparsed.ok()) << reparsed.message() << "\n" << printed;
  EXPECT_EQ(testing::DiffModels(testing::Serialize(*model), testing::Serialize(**reparsed)), "");
}

TEST(TextFormat, ParseErrorsAreOneLine) {
  auto model = ParseModelText("this is not onnx");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.message().find('\n'), std::string::npos) << model.message();
}

}  // namespace
}  // namespace onnxkit
