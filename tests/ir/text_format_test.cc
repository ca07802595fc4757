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

// libonnx's parser throws from std::stof/stoll on bad numbers; found by fuzz/fuzz_parse_text.
TEST(TextFormat, MalformedOrOutOfRangeNumbersAreErrors) {
  for (const char* initializer : {"float[2] B = {{0.5, -1}}", "float[1] B = {1e999}", "int64[1] B = {99999999999999999999}"}) {
    std::string text = fmt::format(R"(
      <ir_version: 8, opset_import: ["" : 17]>
      g (float[2] x) => (float[2] y) <{}> {{
        y = Add(x, B)
      }}
    )", initializer);
    auto model = ParseModelText(text);
    ASSERT_FALSE(model.ok()) << initializer;
    EXPECT_NE(model.message().find("cannot parse the model text"), std::string::npos) << model.message();
    EXPECT_EQ(model.message().find('\n'), std::string::npos) << model.message();
  }
}

}  // namespace
}  // namespace onnxkit
