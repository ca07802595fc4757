#include "tests/cli/cli_util.h"

#include "ir/model_io.h"
#include "runtime/tensor_io.h"

namespace onnxkit::testing {

void WriteTextModel(const std::filesystem::path& path, std::string_view text) {
  auto model = ParseModel(text);
  auto saved = SaveModel(*model, path);
  ASSERT_TRUE(saved.ok()) << saved.message();
}

void WriteFloatNpy(const std::filesystem::path& path, const runtime::Shape& shape, const std::vector<float>& values) {
  ASSERT_TRUE(runtime::WriteNpy(path, runtime::Tensor::FromVector<float>(DataType::kFloat, shape, values)).ok());
}

void ExpectOneLineError(const CommandResult& result, int exit_code, std::string_view expected) {
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.exit_code, exit_code) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_NE(result.err.find(expected), std::string::npos) << "expected '" << expected << "' in: " << result.err;
}

}  // namespace onnxkit::testing
