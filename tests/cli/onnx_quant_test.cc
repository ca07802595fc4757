// onnx-quant end to end: static INT8 of the trained digits CNN (accuracy on the held-out split,
// report JSON), dynamic INT8 of the transformer, calibration tables saved, merged and reused,
// accuracy-aware fallback, and bad calibration data.
#include <gtest/gtest.h>

#include <fstream>

#include "ir/model_io.h"
#include "runtime/session.h"
#include "runtime/tensor_io.h"
#include "tests/cli/cli_util.h"
#include "tests/json_value.h"

namespace onnxkit::testing {
namespace {

std::string Quant(const std::string& arguments) { return ToolPath("onnx-quant") + " " + arguments; }
std::string Fixture(const std::string& name) { return (SourceDir() / "fixtures" / name).string(); }

JsonValue ReadReport(const std::filesystem::path& path) {
  std::string error;
  auto json = ParseJson(ReadFile(path), &error);
  EXPECT_TRUE(json.has_value()) << error;
  return json ? *json : JsonValue{};
}

// Top-1 accuracy of a digits model on the committed held-out split (test_x.npy, test_y.npy).
double DigitsAccuracy(const std::filesystem::path& model_path) {
  auto model = LoadModel(model_path);
  EXPECT_TRUE(model.ok()) << model.message();
  auto session = runtime::Session::Create(**model);
  EXPECT_TRUE(session.ok()) << session.message();
  auto x = runtime::ReadNpy(SourceDir() / "fixtures" / "digits" / "test_x.npy");
  auto y = runtime::ReadNpy(SourceDir() / "fixtures" / "digits" / "test_y.npy");
  EXPECT_TRUE(x.ok() && y.ok());
  auto outputs = (*session)->run({{(*session)->inputs()[0].name, *x}});
  EXPECT_TRUE(outputs.ok()) << outputs.message();
  const runtime::Tensor& logits = (*outputs)[0];
  int64_t rows = logits.dim(0), classes = logits.dim(1), correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t best = 0;
    for (int64_t c = 1; c < classes; ++c)
      if (logits.data<float>()[r * classes + c] > logits.data<float>()[r * classes + best]) best = c;
    correct += best == y->elementAsInt64(r);
  }
  return static_cast<double>(correct) / static_cast<double>(rows);
}

class OnnxQuant : public ::testing::Test {
 protected:
  void SetUp() override {
    // The calibration images alone in a folder (one .npy of 100 images: 100 samples).
    std::filesystem::create_directory(temp_ / "calib");
    std::filesystem::copy_file(SourceDir() / "fixtures" / "digits" / "calib_x.npy", temp_ / "calib" / "calib_x.npy");
  }
  std::string calib() const { return (temp_ / "calib").string(); }
  TempDir temp_;
};

TEST_F(OnnxQuant, StaticDigitsKeepsAccuracyAndReports) {
  auto out = temp_ / "digits.int8.onnx";
  auto result = RunCommand(Quant("--calib " + calib() + " --report " + (temp_ / "r.json").string() + " " +
                                 Fixture("digits_cnn.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("SQNR"), std::string::npos) << result.out;
  double fp32 = DigitsAccuracy(SourceDir() / "fixtures" / "digits_cnn.onnx");
  double int8 = DigitsAccuracy(out);
  EXPECT_GE(fp32, 0.95);
  EXPECT_GE(int8, fp32 - 0.01) << "static INT8 loses more than 1 point";
  JsonValue report = ReadReport(temp_ / "r.json");
  EXPECT_EQ(report["samples"].number, 100);
  EXPECT_GE(report["tensors"].array.size(), 5u);
  for (size_t i = 1; i < report["tensors"].array.size(); ++i)
    EXPECT_LE(report["tensors"][i - 1]["sqnr_db"].number, report["tensors"][i]["sqnr_db"].number) << "worst first";
  EXPECT_GE(report["outputs"][0]["top1_agreement"].number, 0.97);
  // A 16 KB model: graph structure weighs; a real CNN (ResNet-50) comes to 25%.
  EXPECT_LE(report["size_ratio"].number, 0.45);
}

TEST_F(OnnxQuant, QOperatorFormatRunsAndAgrees) {
  auto out = temp_ / "digits.qop.onnx";
  auto result = RunCommand(Quant("--calib " + calib() + " --format qoperator " + Fixture("digits_cnn.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string text = ReadFile(out);
  EXPECT_NE(text.find("QLinearConv"), std::string::npos);
  EXPECT_GE(DigitsAccuracy(out), DigitsAccuracy(SourceDir() / "fixtures" / "digits_cnn.onnx") - 0.01);
}

TEST_F(OnnxQuant, DynamicTransformerCosine) {
  auto out = temp_ / "t.int8.onnx";
  auto result = RunCommand(Quant("--mode dynamic --eval " + Fixture("transformer_encoder") + " --report " +
                                 (temp_ / "r.json").string() + " " + Fixture("transformer_encoder.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  JsonValue report = ReadReport(temp_ / "r.json");
  EXPECT_GE(report["outputs"][0]["cosine"].number, 0.99);
  EXPECT_NE(ReadFile(out).find("MatMulInteger"), std::string::npos);
}

TEST_F(OnnxQuant, CalibrationTablesSplitMergeAndReuse) {
  // Two halves of the 100 images, calibrated separately and merged, give the same model as all.
  auto images = runtime::ReadNpy(temp_ / "calib" / "calib_x.npy");
  ASSERT_TRUE(images.ok());
  int64_t half = images->dim(0) / 2, per_image = images->elementCount() / images->dim(0);
  for (int part = 0; part < 2; ++part) {
    std::filesystem::create_directory(temp_ / fmt::format("part{}", part));
    std::vector<float> values(images->data<float>() + part * half * per_image,
                              images->data<float>() + (part + 1) * half * per_image);
    runtime::Shape shape = images->shape();
    shape[0] = half;
    WriteFloatNpy(temp_ / fmt::format("part{}", part) / "x.npy", shape, values);
    auto run = RunCommand(Quant(fmt::format("--calib {} --save-calib-table {} -q {} {}", (temp_ / fmt::format("part{}", part)).string(),
                                            (temp_ / fmt::format("part{}.pb", part)).string(), Fixture("digits_cnn.onnx"),
                                            (temp_ / "unused.onnx").string())));
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  auto merge = RunCommand(Quant(fmt::format("merge {} {} -o {}", (temp_ / "part0.pb").string(), (temp_ / "part1.pb").string(),
                                            (temp_ / "all.pb").string())));
  ASSERT_EQ(merge.exit_code, 0) << merge.err;
  EXPECT_NE(merge.out.find("100 samples"), std::string::npos) << merge.out;
  auto from_merged = RunCommand(Quant("-q --calib-table " + (temp_ / "all.pb").string() + " " + Fixture("digits_cnn.onnx") +
                                      " " + (temp_ / "merged.onnx").string()));
  ASSERT_EQ(from_merged.exit_code, 0) << from_merged.err;
  auto whole = RunCommand(Quant("-q --calib " + calib() + " " + Fixture("digits_cnn.onnx") + " " + (temp_ / "whole.onnx").string()));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(ReadFile(temp_ / "merged.onnx"), ReadFile(temp_ / "whole.onnx"));
}

TEST_F(OnnxQuant, FallbackReturnsNodesToFp32UntilTheBoundHolds) {
  // Entropy calibration clips the logits hard on this model (about 90% top-1 agreement): the
  // fallback must return nodes to FP32 until at most 2% of the predictions change.
  auto out = temp_ / "fb.onnx";
  auto result = RunCommand(Quant("--calib " + calib() + " --method entropy --eval " + calib() + " --max-drop 0.02 --report " +
                                 (temp_ / "r.json").string() + " " + Fixture("digits_cnn.onnx") + " " + out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  JsonValue report = ReadReport(temp_ / "r.json");
  EXPECT_LE(report["drop"].number, 0.02);
  EXPECT_GE(report["fallback_nodes"].array.size(), 1u);
  EXPECT_NE(result.out.find("fell back to FP32"), std::string::npos) << result.out;
}

TEST_F(OnnxQuant, BadCalibrationDataIsOneClearErrorAndNoOutput) {
  auto out = temp_ / "never.onnx";
  auto expect_error = [&](const std::string& arguments, const std::string& expected) {
    auto result = RunCommand(Quant(arguments + " " + Fixture("digits_cnn.onnx") + " " + out.string()));
    ExpectOneLineError(result, 1, expected);
    EXPECT_FALSE(std::filesystem::exists(out));
  };
  expect_error("--calib " + (temp_ / "missing").string(), "missing");
  std::filesystem::create_directory(temp_ / "empty");
  expect_error("--calib " + (temp_ / "empty").string(), "empty");
  std::filesystem::create_directory(temp_ / "shape");
  WriteFloatNpy(temp_ / "shape" / "x.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  expect_error("--calib " + (temp_ / "shape").string(), "x.npy");
  std::filesystem::create_directory(temp_ / "corrupt");
  WriteFile(temp_ / "corrupt" / "x.npy", "not an npy file");
  expect_error("--calib " + (temp_ / "corrupt").string(), "x.npy");
  std::filesystem::create_directory(temp_ / "name");
  std::filesystem::create_directory(temp_ / "name" / "sample0");
  WriteFloatNpy(temp_ / "name" / "sample0" / "wrong_name.npy", {1, 1, 8, 8}, std::vector<float>(64, 0.5f));
  expect_error("--calib " + (temp_ / "name").string(), "wrong_name");
  expect_error("--calib-table " + (temp_ / "no_table.pb").string(), "no_table.pb");
  auto usage = RunCommand(Quant(Fixture("digits_cnn.onnx") + " " + out.string()));
  ExpectOneLineError(usage, 2, "--calib");
}

}  // namespace
}  // namespace onnxkit::testing
