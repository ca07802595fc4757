// Every fixture model runs on the bundled runtime and agrees with ONNX Runtime (rtol 1e-4) and
// with the PyTorch outputs stored next to it.
#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "runtime/sample_data.h"
#include "runtime/tensor_io.h"
#include "runtime/tensor_compare.h"
#include "tests/interop/ort_helper.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

class FixtureVsOrt : public ::testing::TestWithParam<std::string> {};

TEST_P(FixtureVsOrt, BundledRuntimeAgreesWithOnnxRuntimeAndPyTorch) {
  std::filesystem::path model_path = SourceDir() / "fixtures" / (GetParam() + ".onnx");
  auto model = LoadModel(model_path);
  ASSERT_TRUE(model.ok()) << model.message();
  auto session = runtime::Session::Create(**model);
  ASSERT_TRUE(session.ok()) << session.message();
  auto folders = runtime::ListSampleFolders(SourceDir() / "fixtures" / GetParam());
  ASSERT_TRUE(folders.ok()) << folders.message();
  for (const auto& folder : *folders) {
    SCOPED_TRACE(folder.string());
    auto inputs = runtime::ReadSampleFolder(folder, (*session)->inputs());
    ASSERT_TRUE(inputs.ok()) << inputs.message();
    auto ours = (*session)->run(*inputs);
    ASSERT_TRUE(ours.ok()) << ours.message();

    auto ort = RunInOnnxRuntime(model_path, *inputs);
    ASSERT_TRUE(ort.ok()) << ort.message();
    ASSERT_EQ(ort->size(), ours->size());
    for (size_t i = 0; i < ours->size(); ++i) {
      auto c = runtime::CompareTensors((*ort)[i], (*ours)[i], {1e-4, 1e-5});
      EXPECT_TRUE(c.within_tolerance) << "output " << i << " vs ONNX Runtime: " << c.problem << " max abs error "
                                      << c.max_absolute_error << ", " << c.elements_beyond_tolerance << " elements";
    }
    for (size_t i = 0; i < ours->size(); ++i) {
      auto expected = runtime::ReadTensorProtoFile(folder / fmt::format("output_{}.pb", i));
      ASSERT_TRUE(expected.ok()) << expected.message();
      auto c = runtime::CompareTensors(expected->second, (*ours)[i], {1e-3, 1e-4});
      EXPECT_TRUE(c.within_tolerance) << "output " << i << " vs PyTorch: " << c.problem << " max abs error "
                                      << c.max_absolute_error;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureVsOrt,
                         ::testing::Values("cnn_bn_residual", "transformer_encoder", "lstm", "control_flow", "digits_cnn"));

}  // namespace
}  // namespace onnxkit::testing
