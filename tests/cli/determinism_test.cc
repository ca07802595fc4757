// The same input and options give a byte-identical output: onnx-opt at every level and onnx-quant
// (static and dynamic) on every fixture, run twice.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"

namespace onnxkit::testing {
namespace {

TEST(Determinism, OnnxOptOutputIsByteIdenticalAcrossRuns) {
  TempDir temp;
  for (const auto& model : FixtureModels()) {
    for (const char* level : {"-O1", "-O2", "-O3"}) {
      SCOPED_TRACE(model.filename().string() + " " + level);
      std::string outputs[2];
      for (int run = 0; run < 2; ++run) {
        auto out = temp / fmt::format("out{}.onnx", run);
        auto result = RunCommand(ToolPath("onnx-opt") + " " + level + " " + model.string() + " " + out.string());
        ASSERT_EQ(result.exit_code, 0) << result.err;
        outputs[run] = ReadFile(out);
      }
      EXPECT_FALSE(outputs[0].empty());
      EXPECT_TRUE(outputs[0] == outputs[1]);
    }
  }
}

TEST(Determinism, OnnxQuantOutputIsByteIdenticalAcrossRuns) {
  TempDir temp;
  for (std::string name : {"cnn_bn_residual", "transformer_encoder", "digits_cnn"}) {
    auto model = SourceDir() / "fixtures" / (name + ".onnx");
    for (const std::string& mode : {"--calib " + (SourceDir() / "fixtures" / name).string(), std::string("--mode dynamic")}) {
      SCOPED_TRACE(name + " " + mode);
      std::string outputs[2];
      for (int run = 0; run < 2; ++run) {
        auto out = temp / fmt::format("q{}.onnx", run);
        auto result = RunCommand(ToolPath("onnx-quant") + " -q " + mode + " " + model.string() + " " + out.string());
        ASSERT_EQ(result.exit_code, 0) << result.err;
        outputs[run] = ReadFile(out);
      }
      EXPECT_FALSE(outputs[0].empty());
      EXPECT_TRUE(outputs[0] == outputs[1]);
    }
  }
}

}  // namespace
}  // namespace onnxkit::testing
