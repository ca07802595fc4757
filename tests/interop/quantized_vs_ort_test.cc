// Every quantized fixture (static QDQ, static QOperator, dynamic) loads in ONNX Runtime and the
// bundled runtime agrees with it: within one quantization step of the output per element where
// the output comes out of a DequantizeLinear (the Q/DQ formats), else within one 8-bit step of the
// output's range (dynamic quantization, whose outputs are float ops).
#include <gtest/gtest.h>

#include <cmath>

#include "ir/model_io.h"
#include "ir/pattern.h"
#include "passes/pass_manager.h"
#include "passes/quant/calibration/calibrator.h"
#include "passes/quant/qoperator_lowering.h"
#include "passes/quant/quantize_dynamic.h"
#include "passes/quant/quantize_static.h"
#include "passes/registry.h"
#include "runtime/sample_data.h"
#include "tests/interop/ort_helper.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

enum class Format { kQdq, kQOperator, kDynamic };

std::unique_ptr<Model> Quantized(const std::string& name, Format format) {
  auto model = LoadModel(SourceDir() / "fixtures" / (name + ".onnx"));
  EXPECT_TRUE(model.ok()) << model.message();
  PassManager manager;
  for (const auto& group : PipelineForLevel(2)) EXPECT_TRUE(manager.addGroup(group).ok());
  EXPECT_TRUE(manager.run(**model).ok());
  if (format == Format::kDynamic) {
    Status quantized = quant::QuantizeDynamic(**model);
    EXPECT_TRUE(quantized.ok()) << quantized.message();
    return std::move(model).value();
  }
  // Calibrated on the fixture's own test samples.
  auto table = quant::Calibrate(**model, SourceDir() / "fixtures" / name);
  EXPECT_TRUE(table.ok()) << table.message();
  Status quantized = quant::QuantizeStatic(**model, quant::ComputeRanges(*table, quant::CalibrationMethod::kMinMax));
  EXPECT_TRUE(quantized.ok()) << quantized.message();
  if (format == Format::kQOperator) {
    EXPECT_TRUE(quant::LowerToQOperator(**model).ok());
  }
  return std::move(model).value();
}

// One quantization step of graph output `index`: the scale of the DequantizeLinear producing it.
std::optional<double> OutputStep(const Model& model, size_t index) {
  const Node* producer = model.graph().outputs()[index]->producer();
  if (!producer || !producer->is("DequantizeLinear")) return std::nullopt;
  TensorPtr scale = ConstantTensor(producer->input(1));
  if (!scale || scale->elementCount() != 1) return std::nullopt;
  return scale->ElementAsDouble(0);
}

class QuantizedVsOrt : public ::testing::TestWithParam<std::tuple<std::string, Format>> {};

TEST_P(QuantizedVsOrt, RunsInOnnxRuntimeAndAgrees) {
  auto [name, format] = GetParam();
  auto model = Quantized(name, format);
  TempDir temp;
  ASSERT_TRUE(SaveModel(*model, temp / "quantized.onnx").ok());
  auto session = runtime::Session::Create(*model);
  ASSERT_TRUE(session.ok()) << session.message();
  auto folders = runtime::ListSampleFolders(SourceDir() / "fixtures" / name);
  ASSERT_TRUE(folders.ok());
  for (const auto& folder : *folders) {
    auto inputs = runtime::ReadSampleFolder(folder, (*session)->inputs());
    ASSERT_TRUE(inputs.ok()) << inputs.message();
    auto ours = (*session)->run(*inputs);
    ASSERT_TRUE(ours.ok()) << ours.message();
    OrtOptions ort;
    ort.optimization = "disabled";
    auto theirs = RunInOnnxRuntime(temp / "quantized.onnx", *inputs, ort);
    ASSERT_TRUE(theirs.ok()) << theirs.message();
    ASSERT_EQ(ours->size(), theirs->size());
    for (size_t i = 0; i < ours->size(); ++i) {
      const runtime::Tensor& a = (*ours)[i];
      const runtime::Tensor& b = (*theirs)[i];
      ASSERT_EQ(a.shape(), b.shape());
      double low = INFINITY, high = -INFINITY, worst = 0;
      for (int64_t e = 0; e < b.elementCount(); ++e) {
        low = std::min(low, b.elementAsDouble(e));
        high = std::max(high, b.elementAsDouble(e));
        worst = std::max(worst, std::fabs(a.elementAsDouble(e) - b.elementAsDouble(e)));
      }
      double step = OutputStep(*model, i).value_or((high - low) / 255.0);
      EXPECT_LE(worst, step * (1 + 1e-6)) << name << " output " << i << ": max difference " << worst << ", step " << step;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, QuantizedVsOrt,
    ::testing::Values(std::tuple{"digits_cnn", Format::kQdq}, std::tuple{"digits_cnn", Format::kQOperator},
                      std::tuple{"cnn_bn_residual", Format::kQdq}, std::tuple{"cnn_bn_residual", Format::kQOperator},
                      std::tuple{"transformer_encoder", Format::kQdq}, std::tuple{"transformer_encoder", Format::kDynamic},
                      std::tuple{"lstm", Format::kDynamic}));

}  // namespace
}  // namespace onnxkit::testing
