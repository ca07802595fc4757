// Every optimized fixture (-O2: standard ONNX; -O3: with ONNX Runtime contrib ops) loads in ONNX
// Runtime with its own optimizer off and agrees there with the original model (rtol 1e-4).
#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "runtime/sample_data.h"
#include "runtime/tensor_compare.h"
#include "tests/interop/ort_helper.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

class OptimizedVsOrt : public ::testing::TestWithParam<std::tuple<std::string, int>> {};

TEST_P(OptimizedVsOrt, OptimizedModelRunsInOnnxRuntimeAndAgrees) {
  auto [name, level] = GetParam();
  std::filesystem::path original_path = SourceDir() / "fixtures" / (name + ".onnx");
  auto model = LoadModel(original_path);
  ASSERT_TRUE(model.ok()) << model.message();
  PassManagerOptions options;
  options.pipeline_rounds = 3;
  PassManager manager(options);
  for (const auto& group : PipelineForLevel(level)) ASSERT_TRUE(manager.addGroup(group).ok());
  auto rewrites = manager.run(**model);
  ASSERT_TRUE(rewrites.ok()) << rewrites.message();
  TempDir temp;
  ASSERT_TRUE(SaveModel(**model, temp / "optimized.onnx").ok());

  auto session = runtime::Session::Create(**model);
  ASSERT_TRUE(session.ok()) << session.message();
  auto folders = runtime::ListSampleFolders(SourceDir() / "fixtures" / name);
  ASSERT_TRUE(folders.ok());
  for (const auto& folder : *folders) {
    auto inputs = runtime::ReadSampleFolder(folder, (*session)->inputs());
    ASSERT_TRUE(inputs.ok()) << inputs.message();
    OrtOptions ort;
    ort.optimization = "disabled";
    auto expected = RunInOnnxRuntime(original_path, *inputs, ort);
    ASSERT_TRUE(expected.ok()) << expected.message();
    auto actual = RunInOnnxRuntime(temp / "optimized.onnx", *inputs, ort);
    ASSERT_TRUE(actual.ok()) << actual.message();
    ASSERT_EQ(actual->size(), expected->size());
    for (size_t i = 0; i < expected->size(); ++i) {
      auto c = runtime::CompareTensors((*expected)[i], (*actual)[i], {1e-4, 1e-5});
      EXPECT_TRUE(c.within_tolerance) << name << " -O" << level << " output " << i << ": " << c.problem
                                      << " max abs error " << c.max_absolute_error;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OptimizedVsOrt,
                         ::testing::Combine(::testing::Values("cnn_bn_residual", "transformer_encoder", "lstm",
                                                              "control_flow", "digits_cnn"),
                                            ::testing::Values(2, 3)));

}  // namespace
}  // namespace onnxkit::testing
