// Bad input never crashes the loader: every malformed file gives an error naming the file.
#include <gtest/gtest.h>

#include <random>

#include "ir/model_io.h"
#include "ir/verifier.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::string LoadError(const std::filesystem::path& path) {
  auto model = LoadModel(path);
  return model.ok() ? "" : model.message();
}

TEST(LoadErrors, MissingFile) {
  std::string message = LoadError("/nonexistent/model.onnx");
  EXPECT_NE(message.find("/nonexistent/model.onnx"), std::string::npos);
  EXPECT_NE(message.find("no such file"), std::string::npos) << message;
}

TEST(LoadErrors, Folder) {
  TempDir temp;
  EXPECT_NE(LoadError(temp.path()).find("is a folder"), std::string::npos);
}

TEST(LoadErrors, EmptyFile) {
  TempDir temp;
  WriteFile(temp / "m.onnx", "");
  std::string message = LoadError(temp / "m.onnx");
  EXPECT_NE(message.find("m.onnx"), std::string::npos) << message;
  EXPECT_NE(message.find("empty file"), std::string::npos) << message;
}

TEST(LoadErrors, NotAProtobuf) {
  TempDir temp;
  WriteFile(temp / "m.onnx", "graph { this is text, not a model }\n");
  EXPECT_NE(LoadError(temp / "m.onnx").find("not an ONNX model"), std::string::npos);
}

TEST(LoadErrors, UnsupportedIrVersion) {
  TempDir temp;
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(ReadFile(SourceDir() / "fixtures" / "cnn_bn_residual.onnx")));
  proto.set_ir_version(99);
  WriteFile(temp / "m.onnx", proto.SerializeAsString());
  EXPECT_NE(LoadError(temp / "m.onnx").find("unsupported IR version 99"), std::string::npos);
}

// Every prefix length tried must load or fail cleanly; none may crash.
TEST(LoadErrors, TruncatedModelsFailCleanly) {
  TempDir temp;
  std::string bytes = ReadFile(SourceDir() / "fixtures" / "cnn_bn_residual.onnx");
  int failures = 0;
  for (size_t keep = 1; keep < bytes.size(); keep += bytes.size() / 97 + 1) {
    WriteFile(temp / "m.onnx", bytes.substr(0, keep));
    auto model = LoadModel(temp / "m.onnx");
    if (!model.ok()) {
      ++failures;
      EXPECT_NE(model.message().find("m.onnx"), std::string::npos) << model.message();
    }
  }
  EXPECT_GT(failures, 90);
}

// Random bit flips: load, then verify, must never crash (errors are fine).
TEST(LoadErrors, BitFlippedModelsFailCleanly) {
  TempDir temp;
  std::string original = ReadFile(SourceDir() / "fixtures" / "control_flow.onnx");
  std::mt19937 random(12345);
  for (int trial = 0; trial < 300; ++trial) {
    std::string bytes = original;
    for (int flips = 0; flips < 4; ++flips) bytes[random() % bytes.size()] ^= static_cast<char>(1u << (random() % 8));
    WriteFile(temp / "m.onnx", bytes);
    auto model = LoadModel(temp / "m.onnx");
    if (model.ok()) (void)VerifyModel(**model);
  }
}

TEST(LoadErrors, RandomBytesFailCleanly) {
  TempDir temp;
  std::mt19937 random(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::string bytes(1 + random() % 512, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    WriteFile(temp / "m.onnx", bytes);
    (void)LoadModel(temp / "m.onnx");
  }
}

}  // namespace
}  // namespace onnxkit
