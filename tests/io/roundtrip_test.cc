// Lossless round trip: loading and saving a model with no pass gives the same model, field for
// field (and byte for byte when the input was serialized canonically), for every model of the
// ONNX backend test data and every fixture.
#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "ir/verifier.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

// Returns an empty string when `path` round-trips, else what went wrong.
std::string RoundTrip(const std::filesystem::path& path, const TempDir& temp) {
  std::string original = ReadFile(path);
  auto model = LoadModel(path);
  if (!model.ok()) return "load: " + model.message();
  if (Status valid = VerifyModel(**model); !valid.ok()) return "verify: " + valid.message();
  auto saved = SaveModel(**model, temp / "out.onnx");
  if (!saved.ok()) return "save: " + saved.message();
  std::string written = ReadFile(temp / "out.onnx");
  if (written == original) return "";
  onnx::ModelProto reference;
  reference.ParseFromString(original);
  if (reference.SerializeAsString() == original) return "not byte-identical to a canonical input";
  std::string diff = DiffModels(original, written);
  return diff.empty() ? "" : "fields differ: " + diff;
}

TEST(RoundTrip, EveryBackendTestModel) {
  auto models = BackendTestModels();
  ASSERT_GE(models.size(), 1000u) << "libonnx-testdata is missing: run scripts/setup.sh";
  TempDir temp;
  int failures = 0;
  for (const auto& path : models) {
    std::string problem = RoundTrip(path, temp);
    if (!problem.empty() && ++failures <= 20) ADD_FAILURE() << path << ": " << problem;
  }
  EXPECT_EQ(failures, 0) << "of " << models.size() << " models";
}

TEST(RoundTrip, EveryFixture) {
  auto models = FixtureModels();
  ASSERT_GE(models.size(), 5u);
  TempDir temp;
  for (const auto& path : models) EXPECT_EQ(RoundTrip(path, temp), "") << path;
}

TEST(RoundTrip, SerializeModelEqualsSaveModel) {
  TempDir temp;
  auto path = SourceDir() / "fixtures" / "cnn_bn_residual.onnx";
  auto model = LoadModel(path);
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(SaveModel(**model, temp / "a.onnx").ok());
  EXPECT_EQ(Serialize(**model), ReadFile(temp / "a.onnx"));
}

TEST(RoundTrip, LargeRawDataIsReferencedNotCopied) {
  Model model;
  model.mutableMetadata()->set_ir_version(8);
  model.setOpsetVersion("", 17);
  Graph& g = model.graph();
  std::vector<float> weights(1024, 0.5f);
  Value* w = g.addInitializer("w", Tensor::FromValues<float>(DataType::kFloat, {1024}, weights));
  Node* add = g.createNode("Add", {g.addInput("x"), w}, 1, "y");
  g.addOutput(add->output(0));
  std::string bytes = Serialize(model);

  SharedBytes file = SharedBytes::FromString(std::string(bytes));
  auto loaded = LoadModelFromBytes(file);
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  const Tensor& tensor = *(*loaded)->graph().initializers().at(0)->initializer();
  EXPECT_GE(tensor.bytes().data(), file.data());
  EXPECT_LE(tensor.bytes().data() + tensor.byteSize(), file.data() + file.size());
  EXPECT_EQ(tensor.ToVector<float>(), weights);
}

}  // namespace
}  // namespace onnxkit
