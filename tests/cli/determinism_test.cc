// The same input and options give a byte-identical output: onnx-opt at every level and onnx-quant
// (static and dynamic) on every fixture, run twice; onnx-run with 1 and 2 threads.
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

// Outputs of onnx-run are byte-identical with 1 and 2 threads and across runs: threaded kernels
// must split work without changing the order of any floating-point reduction.
TEST(Determinism, OnnxRunOutputsAreByteIdenticalWithOneAndTwoThreads) {
  TempDir temp;
  for (const auto& model : FixtureModels()) {
    auto data = model.parent_path() / model.stem() / "test_data_set_0";
    if (!std::filesystem::exists(data)) continue;
    SCOPED_TRACE(model.filename().string());
    std::vector<std::string> runs;
    for (const char* threads : {"1", "2", "2"}) {
      auto out = temp / fmt::format("{}_{}_{}", model.stem().string(), threads, runs.size());
      auto result = RunCommand(ToolPath("onnx-run") + " " + model.string() + " --data " + data.string() + " --threads " +
                               threads + " --out " + out.string());
      ASSERT_EQ(result.exit_code, 0) << result.err;
      std::string bytes;
      for (int i = 0; std::filesystem::exists(out / fmt::format("output_{}.npy", i)); ++i)
        bytes += ReadFile(out / fmt::format("output_{}.npy", i));
      ASSERT_FALSE(bytes.empty());
      runs.push_back(bytes);
    }
    EXPECT_TRUE(runs[0] == runs[1]) << "1 thread and 2 threads differ";
    EXPECT_TRUE(runs[1] == runs[2]) << "two runs with 2 threads differ";
  }
}

}  // namespace
}  // namespace onnxkit::testing
