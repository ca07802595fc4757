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

// SaveOptions::progress (the tools' progress bar): non-decreasing, one total, and the last call
// reaches it: the bytes of the model and of its external data file together.
TEST(Save, ProgressCountsModelAndExternalDataBytes) {
  TempDir temp;
  auto model = LoadModel(SourceDir() / "fixtures" / "cnn_bn_residual.onnx");
  ASSERT_TRUE(model.ok());
  for (bool external : {false, true}) {
    SCOPED_TRACE(external ? "external data" : "inline");
    std::vector<std::pair<uint64_t, uint64_t>> calls;
    SaveOptions options;
    if (external) options.external_data_threshold = 1024;
    options.progress = [&](uint64_t written, uint64_t total) { calls.emplace_back(written, total); };
    auto path = temp / (external ? "external.onnx" : "inline.onnx");
    auto saved = SaveModel(**model, path, options);
    ASSERT_TRUE(saved.ok()) << saved.message();
    ASSERT_FALSE(calls.empty());
    uint64_t total = std::filesystem::file_size(path);
    if (external) {
      ASSERT_FALSE(saved->external_data_file.empty());
      total += std::filesystem::file_size(saved->external_data_file);
    }
    for (size_t i = 0; i < calls.size(); ++i) {
      EXPECT_EQ(calls[i].second, total);
      if (i > 0) {
        EXPECT_GE(calls[i].first, calls[i - 1].first);
      }
    }
    EXPECT_EQ(calls.back().first, total);
  }
}

}  // namespace
}  // namespace onnxkit
