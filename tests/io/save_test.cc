#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::vector<std::string> FolderEntries(const std::filesystem::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(Save, InPlaceRewriteOfAMappedModel) {
  TempDir temp;
  std::filesystem::copy_file(SourceDir() / "fixtures" / "cnn_bn_residual.onnx", temp / "m.onnx");
  std::string original = ReadFile(temp / "m.onnx");
  auto model = LoadModel(temp / "m.onnx");  // its weights reference the mapped file
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(SaveModel(**model, temp / "m.onnx").ok());
  EXPECT_EQ(ReadFile(temp / "m.onnx"), original);
  EXPECT_EQ(FolderEntries(temp.path()), std::vector<std::string>{"m.onnx"});  // no temporary left
}

TEST(Save, MissingFolderFailsAndWritesNothing) {
  TempDir temp;
  auto model = LoadModel(SourceDir() / "fixtures" / "digits_cnn.onnx");
  ASSERT_TRUE(model.ok());
  auto saved = SaveModel(**model, temp / "missing" / "out.onnx");
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.message().find("does not exist"), std::string::npos) << saved.message();
  EXPECT_TRUE(FolderEntries(temp.path()).empty());
}

TEST(Save, FolderAsOutputFails) {
  TempDir temp;
  std::filesystem::create_directory(temp / "out.onnx");
  auto model = LoadModel(SourceDir() / "fixtures" / "digits_cnn.onnx");
  ASSERT_TRUE(model.ok());
  auto saved = SaveModel(**model, temp / "out.onnx");
  ASSERT_FALSE(saved.ok());
  EXPECT_NE(saved.message().find("is a folder"), std::string::npos) << saved.message();
  EXPECT_EQ(FolderEntries(temp.path()), std::vector<std::string>{"out.onnx"});
}

TEST(Save, OutputIsDeterministic) {
  TempDir temp;
  auto model = LoadModel(SourceDir() / "fixtures" / "transformer_encoder.onnx");
  ASSERT_TRUE(model.ok());
  ASSERT_TRUE(SaveModel(**model, temp / "a.onnx").ok());
  ASSERT_TRUE(SaveModel(**model, temp / "b.onnx").ok());
  EXPECT_EQ(ReadFile(temp / "a.onnx"), ReadFile(temp / "b.onnx"));
}

}  // namespace
}  // namespace onnxkit
