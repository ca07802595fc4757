// Quantization of the committed fixture models: the trained digits CNN statically (accuracy and
// file size against FP32), the transformer encoder dynamically (output cosine), and every fixture
// statically (the result verifies, passes the ONNX checker and runs).
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "ir/model_io.h"
#include "ir/onnx_export.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/quant/qoperator_lowering.h"
#include "passes/quant/quantize_dynamic.h"
#include "passes/registry.h"
#include "passes/quant/quantize_static.h"
#include "runtime/sample_data.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"
#include "runtime/tensor_io.h"
#include "tests/quant/quant_test_util.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

using onnxkit::testing::SourceDir;
using onnxkit::testing::OnnxCheckerProblem;

// Loads a fixture and folds its constants (level 1: fold + cleanup), as the pipeline runs onnx-opt
// before onnx-quant: the fixtures were exported without constant folding, so weights are still
// Transpose(initializer) and the like.
std::unique_ptr<Model> Load(const std::filesystem::path& path) {
  auto model = LoadModel(path);
  EXPECT_TRUE(model.ok()) << model.message();
  if (!model.ok()) return nullptr;
  PassManager manager;
  for (const auto& group : PipelineForLevel(1)) EXPECT_TRUE(manager.addGroup(group).ok());
  auto folded = manager.run(**model);
  EXPECT_TRUE(folded.ok()) << folded.message();
  return std::move(model).value();
}

// The first `count` rows of a tensor.
runtime::Tensor FirstRows(const runtime::Tensor& t, int64_t count) {
  runtime::Shape shape = t.shape();
  size_t row_bytes = t.byteSize() / static_cast<size_t>(shape[0]);
  shape[0] = count;
  auto out = runtime::Tensor::Allocate(t.dtype(), shape);
  std::memcpy(out->mutableRaw(), t.raw(), row_bytes * static_cast<size_t>(count));
  return std::move(out).value();
}

double Accuracy(const runtime::Tensor& logits, const runtime::Tensor& labels) {
  int64_t rows = logits.dim(0), classes = logits.dim(1), correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t best = 0;
    for (int64_t c = 1; c < classes; ++c)
      if (logits.elementAsDouble(r * classes + c) > logits.elementAsDouble(r * classes + best)) best = c;
    correct += best == labels.elementAsInt64(r);
  }
  return static_cast<double>(correct) / static_cast<double>(rows);
}

TEST(QuantizeFixtures, DigitsCnnStaticKeepsAccuracyAndShrinks) {
  std::filesystem::path model_path = SourceDir() / "fixtures/digits_cnn.onnx";
  auto float_model = Load(model_path);
  auto model = Load(model_path);
  ASSERT_TRUE(float_model && model);
  auto calib = runtime::ReadNpy(SourceDir() / "fixtures/digits/calib_x.npy");
  auto test_x = runtime::ReadNpy(SourceDir() / "fixtures/digits/test_x.npy");
  auto test_y = runtime::ReadNpy(SourceDir() / "fixtures/digits/test_y.npy");
  ASSERT_TRUE(calib.ok() && test_x.ok() && test_y.ok());

  RangeTable ranges = CollectRanges(*float_model, {{"input", FirstRows(*calib, 50)}});
  StaticReport report;
  ASSERT_TRUE(QuantizeStatic(*model, ranges, StaticOptions{}, &report).ok());
  EXPECT_EQ(report.quantized_nodes, 3u);  // Conv, Conv, Gemm (MaxPool and Flatten propagate)
  EXPECT_EQ(report.absorbed_activations, 2u);
  Status verified = VerifyModel(*model);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_EQ(OnnxCheckerProblem(*model), "");

  double float_accuracy = Accuracy(RunModel(*float_model, {{"input", *test_x}}).at(0), *test_y);
  double quant_accuracy = Accuracy(RunModel(*model, {{"input", *test_x}}).at(0), *test_y);
  RecordProperty("fp32_accuracy", std::to_string(float_accuracy));
  RecordProperty("int8_accuracy", std::to_string(quant_accuracy));
  std::cout << "digits_cnn: FP32 accuracy " << float_accuracy << ", INT8 (QDQ) accuracy " << quant_accuracy << "\n";
  EXPECT_GE(float_accuracy, 0.98);
  EXPECT_GE(quant_accuracy, float_accuracy - 0.01);

  testing::TempDir dir;
  auto saved = SaveModel(*model, dir / "digits_int8.onnx");
  ASSERT_TRUE(saved.ok()) << saved.message();
  auto float_size = std::filesystem::file_size(model_path);
  auto quant_size = std::filesystem::file_size(dir / "digits_int8.onnx");
  std::cout << "digits_cnn: FP32 " << float_size << " B, INT8 " << quant_size << " B ("
            << 100.0 * static_cast<double>(quant_size) / static_cast<double>(float_size) << " %)\n";
  // The floor for this 3,818-parameter model: int8 weights + int32 biases + per-channel weight and
  // bias scales are 4,192 B (25.7 %), and the float graph's own seven nodes with their names and
  // attributes are ~700 B more (30 %) before a single Q/DQ node; the 16 Q/DQ nodes add ~1.3 KB.
  // So the QDQ file lands at ~42 %, and weights alone are < 26 %.
  EXPECT_LE(static_cast<double>(quant_size), 0.45 * static_cast<double>(float_size));
  uint64_t weight_bytes = 0;
  for (const Value* init : model->graph().initializers())
    if (init->initializer()->dtype() == DataType::kInt8 && init->initializer()->rank() >= 2)
      weight_bytes += init->initializer()->byteSize();
  EXPECT_EQ(weight_bytes, 3784u);  // every weight element is one byte
  // The saved file loads and gives the same accuracy.
  auto reloaded = Load(dir / "digits_int8.onnx");
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(Accuracy(RunModel(*reloaded, {{"input", *test_x}}).at(0), *test_y), quant_accuracy);

  // QOperator form: QLinearConv units; same accuracy within a point.
  LoweringReport lowering;
  ASSERT_TRUE(LowerToQOperator(*model, &lowering).ok());
  EXPECT_EQ(lowering.lowered, 4u);  // Convs, MaxPool, Flatten (Gemm has no ONNX QLinear op)
  Status lowered_ok = VerifyModel(*model);
  EXPECT_TRUE(lowered_ok.ok()) << lowered_ok.message();
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  double lowered_accuracy = Accuracy(RunModel(*model, {{"input", *test_x}}).at(0), *test_y);
  ASSERT_TRUE(SaveModel(*model, dir / "digits_qop.onnx").ok());
  auto lowered_size = std::filesystem::file_size(dir / "digits_qop.onnx");
  std::cout << "digits_cnn QOperator: accuracy " << lowered_accuracy << ", " << lowered_size << " B ("
            << 100.0 * static_cast<double>(lowered_size) / static_cast<double>(float_size) << " %)\n";
  EXPECT_GE(lowered_accuracy, float_accuracy - 0.01);
}

std::vector<runtime::NamedTensor> FixtureSample(const std::filesystem::path& model_path, const Model& model) {
  auto session = runtime::Session::Create(model);
  EXPECT_TRUE(session.ok()) << session.message();
  std::filesystem::path folder = model_path.parent_path() / model_path.stem();
  auto folders = runtime::ListSampleFolders(folder);
  EXPECT_TRUE(folders.ok()) << folders.message();
  auto sample = runtime::ReadSampleFolder(folders->front(), (*session)->inputs());
  EXPECT_TRUE(sample.ok()) << sample.message();
  return std::move(sample).value();
}

TEST(QuantizeFixtures, TransformerEncoderDynamicKeepsCosine) {
  std::filesystem::path model_path = SourceDir() / "fixtures/transformer_encoder.onnx";
  auto float_model = Load(model_path);
  auto model = Load(model_path);
  ASSERT_TRUE(float_model && model);
  DynamicReport report;
  ASSERT_TRUE(QuantizeDynamic(*model, DynamicOptions{}, &report).ok());
  EXPECT_EQ(report.quantized_nodes, 12u);  // 2 layers x (Q, K, V, output, FFN in, FFN out)
  Status verified = VerifyModel(*model);
  EXPECT_TRUE(verified.ok()) << verified.message();
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  auto feeds = FixtureSample(model_path, *float_model);
  auto expected = RunModel(*float_model, feeds);
  auto actual = RunModel(*model, feeds);
  ASSERT_EQ(actual.size(), expected.size());
  auto cmp = runtime::CompareTensors(expected.at(0), actual.at(0), {});
  std::cout << "transformer_encoder dynamic: cosine " << cmp.cosine_similarity << ", max abs error "
            << cmp.max_absolute_error << "\n";
  EXPECT_GE(cmp.cosine_similarity, 0.99);
}

// Every fixture, quantized statically with ranges from its own sample: still a valid model that
// runs on the bundled runtime and stays close to the float outputs.
TEST(QuantizeFixtures, EveryFixtureQuantizesStatically) {
  for (const auto& path : testing::FixtureModels()) {
    SCOPED_TRACE(path.string());
    auto float_model = Load(path);
    auto model = Load(path);
    ASSERT_TRUE(float_model && model);
    auto feeds = FixtureSample(path, *float_model);
    RangeTable ranges = CollectRanges(*float_model, feeds);
    StaticReport report;
    Status status = QuantizeStatic(*model, ranges, StaticOptions{}, &report);
    ASSERT_TRUE(status.ok()) << status.message();
    Status verified = VerifyModel(*model);
    EXPECT_TRUE(verified.ok()) << verified.message();
    EXPECT_EQ(OnnxCheckerProblem(*model), "");
    auto expected = RunModel(*float_model, feeds);
    auto actual = RunModel(*model, feeds);
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      auto cmp = runtime::CompareTensors(expected[i], actual[i], {});
      std::cout << path.filename().string() << " static: " << report.quantized_nodes << " nodes, output " << i
                << " cosine " << cmp.cosine_similarity << "\n";
      EXPECT_GE(cmp.cosine_similarity, 0.95);
    }
  }
}

}  // namespace
}  // namespace onnxkit::quant
