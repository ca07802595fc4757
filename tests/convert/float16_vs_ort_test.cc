// The float16 fixtures in ONNX Runtime (the runtime users deploy to): they load, run, and agree
// with the float32 originals there and with the bundled runtime's float16 results.
#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "passes/convert/float16.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "runtime/tensor_compare.h"
#include "tests/convert/convert_test_util.h"
#include "tests/interop/ort_helper.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

class Float16VsOrt : public ::testing::TestWithParam<std::tuple<std::string, bool>> {};

TEST_P(Float16VsOrt, RunsInOnnxRuntimeAndAgrees) {
  auto [name, keep_io_types] = GetParam();
  std::filesystem::path original_path = SourceDir() / "fixtures" / (name + ".onnx");
  auto model = LoadModel(original_path);
  ASSERT_TRUE(model.ok());
  auto samples = FixtureSamples(name, **model);
  PassManagerOptions manager_options;
  manager_options.pipeline_rounds = 3;
  PassManager manager(manager_options);
  for (const auto& group : PipelineForLevel(2)) ASSERT_TRUE(manager.addGroup(group).ok());
  ASSERT_TRUE(manager.run(**model).ok());
  Float16Options options;
  options.keep_io_types = keep_io_types;
  ASSERT_TRUE(ConvertToFloat16(**model, options).ok());
  TempDir temp;
  ASSERT_TRUE(SaveModel(**model, temp / "fp16.onnx").ok());
  for (const Sample& sample : samples) {
    OrtOptions ort;
    ort.optimization = "disabled";
    auto fp32 = RunInOnnxRuntime(original_path, sample.inputs, ort);
    ASSERT_TRUE(fp32.ok()) << fp32.message();
    auto fp16 = RunInOnnxRuntime(temp / "fp16.onnx", CastFeedsFor(**model, sample.inputs), ort);
    ASSERT_TRUE(fp16.ok()) << fp16.message();
    auto bundled = RunWithFloatIo(**model, sample.inputs);
    ASSERT_TRUE(bundled.ok()) << bundled.message();
    ASSERT_EQ(fp16->size(), fp32->size());
    for (size_t i = 0; i < fp32->size(); ++i) {
      runtime::Tensor ort_fp16 = ToFloat32((*fp16)[i]);
      EXPECT_EQ((*fp16)[i].dtype(), keep_io_types ? DataType::kFloat : DataType::kFloat16);
      EXPECT_GT(Cosine((*fp32)[i], ort_fp16), 0.999) << name << " output " << i;
      auto vs_fp32 = runtime::CompareTensors((*fp32)[i], ort_fp16, {2e-2, 2e-2});
      EXPECT_TRUE(vs_fp32.within_tolerance) << name << " output " << i << " max abs error " << vs_fp32.max_absolute_error;
      // Both runtimes compute the same float16 graph.
      EXPECT_GT(Cosine(ort_fp16, (*bundled)[i]), 0.9999) << name << " output " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Float16VsOrt,
                         ::testing::Combine(::testing::Values("cnn_bn_residual", "transformer_encoder", "lstm",
                                                              "control_flow", "digits_cnn"),
                                            ::testing::Bool()),
                         [](const auto& param_info) {
                           return std::get<0>(param_info.param) + (std::get<1>(param_info.param) ? "_keep_io" : "_half_io");
                         });

}  // namespace
}  // namespace onnxkit::testing
