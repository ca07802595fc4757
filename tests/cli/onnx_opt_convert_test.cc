// onnx-opt's conversions as a pipeline uses them: --target-opset, --fp16 [--keep-io-types]
// [--fp16-keep-ops], --overwrite-input-shape, --fix-batch. Results are checked by their numbers
// on the bundled runtime; failures by one stderr line, the exit code and no output file.
#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "runtime/tensor_compare.h"
#include "runtime/tensor_io.h"
#include "tests/cli/cli_util.h"
#include "tests/convert/convert_test_util.h"
#include "tests/json_value.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::string Opt(const std::string& arguments) { return ToolPath("onnx-opt") + " " + arguments; }
std::string Fixture(const std::string& name) { return (SourceDir() / "fixtures" / name).string(); }

std::unique_ptr<Model> Load(const std::filesystem::path& path) {
  auto model = LoadModel(path);
  EXPECT_TRUE(model.ok()) << model.message();
  if (!model.ok()) throw std::runtime_error(model.message());
  return std::move(model).value();
}

// The model's outputs on the fixture's test data agree with PyTorch's within `tolerance`, with a
// cosine above `min_cosine`.
void ExpectFixtureOutputs(const Model& model, const std::string& fixture, double tolerance, double min_cosine) {
  auto samples = FixtureSamples(fixture, *Load(Fixture(fixture + ".onnx")));
  ASSERT_FALSE(samples.empty());
  for (const Sample& sample : samples) {
    auto actual = RunWithFloatIo(model, sample.inputs);
    ASSERT_TRUE(actual.ok()) << actual.message();
    ASSERT_EQ(actual->size(), sample.outputs.size());
    for (size_t i = 0; i < actual->size(); ++i) {
      auto c = runtime::CompareTensors(sample.outputs[i], (*actual)[i], {tolerance, tolerance});
      EXPECT_TRUE(c.within_tolerance) << fixture << " output " << i << " max abs error " << c.max_absolute_error;
      EXPECT_GT(Cosine(sample.outputs[i], (*actual)[i]), min_cosine) << fixture << " output " << i;
    }
  }
}

void ExpectFails(const std::string& arguments, int exit_code, std::string_view expected, const std::filesystem::path& output) {
  CommandResult result = RunCommand(Opt(arguments));
  ExpectOneLineError(result, exit_code, expected);
  EXPECT_FALSE(std::filesystem::exists(output)) << output;
}

TEST(OnnxOptConvert, HelpHasOneLineWithAnExamplePerOption) {
  CommandResult help = RunCommand(Opt("--help"));
  ASSERT_EQ(help.exit_code, 0);
  for (const char* example : {"e.g. --target-opset 17", "e.g. --overwrite-input-shape input:1,3,224,224",
                              "e.g. --fix-batch 1", "e.g. --fp16 --keep-io-types", "e.g. --fp16-keep-ops Exp,Sigmoid"})
    EXPECT_NE(help.out.find(example), std::string::npos) << example << "\n" << help.out;
}

TEST(OnnxOptConvert, TargetOpsetConvertsThenOptimizes) {
  TempDir temp;
  for (const auto& [fixture, target] : {std::pair{"cnn_bn_residual", 17}, std::pair{"transformer_encoder", 17},
                                        std::pair{"lstm", 15}, std::pair{"control_flow", 16}}) {
    auto out = temp / (std::string(fixture) + ".onnx");
    CommandResult result = RunCommand(Opt("--target-opset " + std::to_string(target) + " " +
                                          Fixture(std::string(fixture) + ".onnx") + " " + out.string()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    auto model = Load(out);
    EXPECT_EQ(model->opsetVersion(""), target) << fixture;
    EXPECT_GE(model->irVersion(), 8) << fixture;
    EXPECT_EQ(OnnxCheckerProblem(*model), "") << fixture;
    ExpectFixtureOutputs(*model, fixture, 1e-4, 0.99999);
  }
}

TEST(OnnxOptConvert, ImpossibleConversionsFailWithOneLine) {
  TempDir temp;
  auto out = temp / "out.onnx";
  ExpectFails("--target-opset 12 " + Fixture("cnn_bn_residual.onnx") + " " + out.string(), 1,
              "cannot convert from opset 13 to 12: libonnx 1.12.0 has no adapter for Relu to opset 12", out);
  ExpectFails("--target-opset 13 " + Fixture("transformer_encoder.onnx") + " " + out.string(), 1,
              "cannot convert from opset 14 to 13: libonnx 1.12.0 has no adapter for", out);
  ExpectFails("--target-opset 18 " + Fixture("digits_cnn.onnx") + " " + out.string(), 1,
              "cannot convert from opset 13 to 18: the version converter of libonnx 1.12.0 knows opsets 1 to 17", out);
  ExpectFails("--target-opset 0 " + Fixture("digits_cnn.onnx") + " " + out.string(), 2, "--target-opset", out);
  // An ONNX Runtime contrib op (FusedConv): libonnx's converter would take it for a default-domain op.
  CommandResult fused = RunCommand(Opt("--target ort " + Fixture("digits_cnn.onnx") + " " +
                                       (temp / "ort.onnx").string()));
  ASSERT_EQ(fused.exit_code, 0) << fused.err;
  ExpectFails("--target-opset 17 " + (temp / "ort.onnx").string() + " " + out.string(), 1,
              "cannot convert from opset 13 to 17: node '/conv1/Conv' (FusedConv) is in domain 'com.microsoft'; the "
              "version converter only converts default-domain nodes",
              out);
}

TEST(OnnxOptConvert, Float16DigitsKeepsItsAccuracy) {
  TempDir temp;
  auto fp32_path = temp / "fp32.onnx";
  auto fp16_path = temp / "fp16.onnx";
  ASSERT_EQ(RunCommand(Opt(Fixture("digits_cnn.onnx") + " " + fp32_path.string())).exit_code, 0);
  CommandResult result = RunCommand(Opt("--fp16 " + Fixture("digits_cnn.onnx") + " " + fp16_path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto fp32 = Load(fp32_path);
  auto fp16 = Load(fp16_path);
  EXPECT_EQ(fp16->graph().inputs()[0]->elemType(), DataType::kFloat16);
  EXPECT_EQ(fp16->graph().outputDeclaration(0).type().tensor_type().elem_type(), static_cast<int32_t>(DataType::kFloat16));
  EXPECT_EQ(InitializerBytes(*fp16, DataType::kFloat), 0u);
  EXPECT_EQ(InitializerBytes(*fp16, DataType::kFloat16), InitializerBytes(*fp32, DataType::kFloat) / 2);
  EXPECT_LT(std::filesystem::file_size(fp16_path), std::filesystem::file_size(fp32_path) * 6 / 10);

  // The 360 held-out digits: float16 predicts what float32 predicts.
  auto images = runtime::ReadNpy(SourceDir() / "fixtures" / "digits" / "test_x.npy");
  auto labels = runtime::ReadNpy(SourceDir() / "fixtures" / "digits" / "test_y.npy");
  ASSERT_TRUE(images.ok() && labels.ok());
  auto expected = RunWithFloatIo(*fp32, {{"input", *images}});
  auto actual = RunWithFloatIo(*fp16, {{"input", *images}});
  ASSERT_TRUE(expected.ok()) << expected.message();
  ASSERT_TRUE(actual.ok()) << actual.message();
  auto argmax = [](const runtime::Tensor& logits, int64_t row) {
    int64_t best = 0;
    for (int64_t c = 1; c < 10; ++c)
      if (logits.elementAsDouble(row * 10 + c) > logits.elementAsDouble(row * 10 + best)) best = c;
    return best;
  };
  int64_t rows = labels->elementCount(), agree = 0, correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    agree += argmax((*expected)[0], r) == argmax((*actual)[0], r);
    correct += argmax((*actual)[0], r) == labels->elementAsInt64(r);
  }
  EXPECT_GE(agree, rows - 1) << "float16 and float32 disagree on " << rows - agree << " of " << rows << " digits";
  EXPECT_GE(correct, 350) << "float16 accuracy " << correct << "/" << rows << " (float32: 354/360)";
  auto c = runtime::CompareTensors((*expected)[0], (*actual)[0], {1e-2, 1e-2});
  EXPECT_TRUE(c.within_tolerance) << c.max_absolute_error;
  EXPECT_GT(Cosine((*expected)[0], (*actual)[0]), 0.9999);
}

TEST(OnnxOptConvert, Float16KeepIoTypesTransformer) {
  TempDir temp;
  auto out = temp / "out.onnx";
  CommandResult result = RunCommand(Opt("--fp16 --keep-io-types " + Fixture("transformer_encoder.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = Load(out);
  EXPECT_EQ(model->graph().inputs()[0]->elemType(), DataType::kInt64);
  EXPECT_EQ(model->graph().outputDeclaration(0).type().tensor_type().elem_type(), static_cast<int32_t>(DataType::kFloat));
  EXPECT_EQ(InitializerBytes(*model, DataType::kFloat16) > 0, true);
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  ExpectFixtureOutputs(*model, "transformer_encoder", 2e-2, 0.999);
  // Softmax stays float32.
  for (const Node* node : model->graph().nodes()) {
    if (node->is("Softmax")) {
      EXPECT_EQ(node->input(0)->elemType(), DataType::kFloat);
    }
  }
}

TEST(OnnxOptConvert, Float16KeepOps) {
  TempDir temp;
  auto out = temp / "out.onnx";
  CommandResult result =
      RunCommand(Opt("--fp16 --fp16-keep-ops Gemm,Relu " + Fixture("digits_cnn.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = Load(out);
  size_t gemms = 0;
  for (const Node* node : model->graph().nodes()) {
    if (node->is("Gemm") || node->is("Relu")) {
      EXPECT_EQ(node->input(0)->elemType(), DataType::kFloat) << node->describe();
    }
    if (node->is("Conv")) {
      EXPECT_EQ(node->input(0)->elemType(), DataType::kFloat16);
    }
    gemms += node->is("Gemm");
  }
  EXPECT_EQ(gemms, 1u);
  ExpectFixtureOutputs(*model, "digits_cnn", 2e-2, 0.9999);
}

TEST(OnnxOptConvert, Float16UsageErrors) {
  TempDir temp;
  auto out = temp / "out.onnx";
  std::string io = Fixture("digits_cnn.onnx") + " " + out.string();
  ExpectFails("--keep-io-types " + io, 2, "--keep-io-types requires --fp16", out);
  ExpectFails("--fp16-keep-ops Softmax " + io, 2, "--fp16-keep-ops requires --fp16", out);
  ExpectFails("--fp16 --fp16-keep-ops Sofmax " + io, 2, "unknown ONNX op type 'Sofmax'", out);
}

TEST(OnnxOptConvert, FixBatchFixesTheInputAndOutput) {
  TempDir temp;
  auto out = temp / "out.onnx";
  CommandResult result = RunCommand(Opt("--fix-batch 16 " + Fixture("digits_cnn.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = Load(out);
  EXPECT_EQ(model->graph().inputs()[0]->staticShape(), (std::vector<int64_t>{16, 1, 8, 8}));
  const auto& declared = model->graph().outputDeclaration(0).type().tensor_type().shape();
  ASSERT_EQ(declared.dim_size(), 2);
  EXPECT_EQ(declared.dim(0).dim_value(), 16);
  EXPECT_EQ(declared.dim(1).dim_value(), 10);
  ExpectFixtureOutputs(*model, "digits_cnn", 1e-4, 0.99999);  // the test data is a batch of 16
}

TEST(OnnxOptConvert, FixedInputShapesFoldTheShapeComputations) {
  TempDir temp;
  auto nodes_after = [&](const std::string& options) {
    CommandResult result = RunCommand(
        Opt("--json " + options + " " + Fixture("transformer_encoder.onnx") + " " + (temp / "out.onnx").string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    auto json = ParseJson(result.out);
    EXPECT_TRUE(json.has_value()) << result.out;
    return json ? (*json)["nodes_after"].number : 0.0;
  };
  double dynamic = nodes_after("");
  double fixed = nodes_after("--overwrite-input-shape input_ids:2,16 --overwrite-input-shape attention_mask:2,16");
  EXPECT_LT(fixed, dynamic);
  auto model = Load(temp / "out.onnx");
  for (const Node* node : model->graph().nodes()) EXPECT_FALSE(node->is("Shape")) << "Shape should fold away";
  ExpectFixtureOutputs(*model, "transformer_encoder", 1e-4, 0.99999);
}

TEST(OnnxOptConvert, InputShapeErrors) {
  TempDir temp;
  auto out = temp / "out.onnx";
  std::string io = Fixture("transformer_encoder.onnx") + " " + out.string();
  ExpectFails("--overwrite-input-shape input_ids:2,x " + io, 2, "dim 'x' is not a non-negative integer", out);
  ExpectFails("--overwrite-input-shape input_ids " + io, 2, "is not NAME:DIMS", out);
  ExpectFails("--fix-batch 0 " + io, 2, "--fix-batch", out);
  ExpectFails("--overwrite-input-shape ids:2,16 " + io, 1,
              "the model has no input 'ids' (its inputs: input_ids, attention_mask)", out);
  ExpectFails("--overwrite-input-shape input_ids:2,16,1 " + io, 1, "input 'input_ids' has rank 2 ([batch,seq])", out);
  ExpectFails("--overwrite-input-shape input_ids:2,16 --overwrite-input-shape attention_mask:4,16 " + io, 1,
              "symbolic dim 'batch' would get two values", out);
  ExpectFails("--overwrite-input-shape input:2,3,32,32 " + Fixture("cnn_bn_residual.onnx") + " " + out.string(), 1,
              "input 'input' has dim 0 = 1 in the model ([1,3,32,32]); it cannot become 2", out);
}

TEST(OnnxOptConvert, VerifyChecksTheConvertedModel) {
  TempDir temp;
  auto out = temp / "out.onnx";
  // float16 inputs are fed as float16, float16 outputs compared as float32.
  CommandResult half = RunCommand(Opt("--fp16 --stats --verify-rtol 1e-2 --verify-atol 1e-2 " +
                                      Fixture("cnn_bn_residual.onnx") + " " + out.string() + " --verify"));
  ASSERT_EQ(half.exit_code, 0) << half.err;
  EXPECT_NE(half.out.find("outputs agree"), std::string::npos) << half.out;
  // The random sample takes the fixed batch.
  CommandResult batch = RunCommand(Opt("--fix-batch 4 " + Fixture("digits_cnn.onnx") + " " + out.string() + " --verify"));
  EXPECT_EQ(batch.exit_code, 0) << batch.err;
  // What float16 changes is caught under a tolerance float16 cannot meet.
  std::filesystem::remove(out);
  CommandResult strict = RunCommand(Opt("--fp16 --verify-rtol 1e-6 --verify-atol 1e-7 " +
                                        Fixture("transformer_encoder.onnx") + " " + out.string() + " --verify"));
  ExpectOneLineError(strict, 1, "--verify: the optimized model's output 'last_hidden_state' differs");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(OnnxOptConvert, AllConversionsTogether) {
  TempDir temp;
  auto out = temp / "out.onnx";
  CommandResult result = RunCommand(Opt("--target-opset 17 --fix-batch 16 --fp16 --keep-io-types " +
                                        Fixture("digits_cnn.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = Load(out);
  EXPECT_EQ(model->opsetVersion(""), 17);
  EXPECT_EQ(model->graph().inputs()[0]->elemType(), DataType::kFloat);
  EXPECT_EQ(model->graph().inputs()[0]->staticShape(), (std::vector<int64_t>{16, 1, 8, 8}));
  EXPECT_EQ(InitializerBytes(*model, DataType::kFloat), 0u);
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  ExpectFixtureOutputs(*model, "digits_cnn", 2e-2, 0.9999);
}

}  // namespace
}  // namespace onnxkit
