// External data: saved next to the model, read back only from inside the model's folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include "ir/model_io.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

// A model y = x + w (w: `count` floats) and x * s (s: 2 floats).
std::unique_ptr<Model> TwoWeightModel(int64_t count) {
  auto model = std::make_unique<Model>();
  model->mutableMetadata()->set_ir_version(8);
  model->setOpsetVersion("", 17);
  Graph& g = model->graph();
  std::vector<float> big(static_cast<size_t>(count));
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(i);
  Value* w = g.addInitializer("w", Tensor::FromValues<float>(DataType::kFloat, {count}, big));
  Value* s = g.addInitializer("s", Tensor::FromValues<float>(DataType::kFloat, {2}, std::vector<float>{2.f, 3.f}));
  Value* x = g.addInput("x");
  Node* add = g.createNode("Add", {x, w}, 1, "y");
  Node* mul = g.createNode("Mul", {x, s}, 1, "z");
  g.addOutput(add->output(0));
  g.addOutput(mul->output(0));
  return model;
}

TEST(ExternalData, SaveAboveThresholdAndLoadBack) {
  TempDir temp;
  auto model = TwoWeightModel(1000);
  SaveOptions options;
  options.external_data_threshold = 1024;
  auto report = SaveModel(*model, temp / "m.onnx", options);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_EQ(report->external_data_file, temp / "m.onnx.data");
  EXPECT_EQ(std::filesystem::file_size(temp / "m.onnx.data"), 4000u);
  EXPECT_LT(std::filesystem::file_size(temp / "m.onnx"), 1000u);

  auto loaded = LoadModel(temp / "m.onnx");
  ASSERT_TRUE(loaded.ok()) << loaded.message();
  auto initializers = (*loaded)->graph().initializers();
  ASSERT_EQ(initializers.size(), 2u);
  EXPECT_TRUE(initializers[0]->initializer()->wasExternal());
  EXPECT_FALSE(initializers[1]->initializer()->wasExternal());  // 8 bytes stay inline
  EXPECT_EQ(initializers[0]->initializer()->ToVector<float>(), model->graph().initializers()[0]->initializer()->ToVector<float>());

  // Saved elsewhere without options, external tensors stay external, next to the new file.
  std::filesystem::create_directory(temp / "copy");
  auto again = SaveModel(**loaded, temp / "copy" / "n.onnx");
  ASSERT_TRUE(again.ok()) << again.message();
  EXPECT_TRUE(std::filesystem::exists(temp / "copy" / "n.onnx.data"));
  auto reloaded = LoadModel(temp / "copy" / "n.onnx");
  ASSERT_TRUE(reloaded.ok()) << reloaded.message();
  EXPECT_EQ(Serialize(**reloaded), Serialize(*model));  // inline forms are identical
}

TEST(ExternalData, OffsetsAreAligned) {
  TempDir temp;
  auto model = TwoWeightModel(1001);  // 4004 bytes: the next tensor needs padding
  SaveOptions options;
  options.external_data_threshold = 1;
  ASSERT_TRUE(SaveModel(*model, temp / "m.onnx", options).ok());
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(ReadFile(temp / "m.onnx")));
  std::vector<uint64_t> offsets;
  for (const auto& tensor : proto.graph().initializer())
    for (const auto& entry : tensor.external_data())
      if (entry.key() == "offset") offsets.push_back(std::stoull(entry.value()));
  ASSERT_EQ(offsets.size(), 2u);
  EXPECT_EQ(offsets[0], 0u);
  EXPECT_EQ(offsets[1], 4032u);  // 4004 rounded up to 64
}

TEST(ExternalData, SizeLimitForcesExternalData) {
  TempDir temp;
  auto model = TwoWeightModel(1000);
  SaveOptions options;
  options.size_limit_bytes = 2000;  // stands in for protobuf's 2 GiB
  auto report = SaveModel(*model, temp / "m.onnx", options);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_TRUE(report->external_data_forced_by_size);
  EXPECT_TRUE(std::filesystem::exists(temp / "m.onnx.data"));
  EXPECT_LE(std::filesystem::file_size(temp / "m.onnx"), 2000u);
}

// Writes a model whose tensor 'w' (4 floats) points at external data with these entries.
void WriteExternalModel(const std::filesystem::path& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  onnx::ModelProto proto;
  proto.set_ir_version(8);
  proto.add_opset_import()->set_version(17);
  auto* graph = proto.mutable_graph();
  graph->set_name("g");
  auto* w = graph->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(4);
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  for (const auto& [key, value] : entries) {
    auto* entry = w->add_external_data();
    entry->set_key(key);
    entry->set_value(value);
  }
  auto* node = graph->add_node();
  node->set_op_type("Identity");
  node->add_input("w");
  node->add_output("y");
  graph->add_output()->set_name("y");
  WriteFile(path, proto.SerializeAsString());
}

std::string LoadError(const std::filesystem::path& path) {
  auto model = LoadModel(path);
  return model.ok() ? "" : model.message();
}

class HostileExternalData : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(temp_ / "model");
    std::filesystem::create_directories(temp_ / "model" / "weights");
    WriteFile(temp_ / "model" / "w.bin", std::string(16, '\x01'));
    WriteFile(temp_ / "model" / "weights" / "w.bin", std::string(16, '\x02'));
    WriteFile(temp_ / "secret.bin", std::string(16, '\x03'));
  }
  std::string Attempt(const std::vector<std::pair<std::string, std::string>>& entries) {
    WriteExternalModel(temp_ / "model" / "m.onnx", entries);
    return LoadError(temp_ / "model" / "m.onnx");
  }
  TempDir temp_;
};

TEST_F(HostileExternalData, ValidLocationsLoad) {
  EXPECT_EQ(Attempt({{"location", "w.bin"}}), "");
  EXPECT_EQ(Attempt({{"location", "weights/w.bin"}, {"offset", "0"}, {"length", "16"}}), "");
  EXPECT_EQ(Attempt({{"location", "./w.bin"}}), "");
}

TEST_F(HostileExternalData, ParentEscapeIsRejected) {
  EXPECT_NE(Attempt({{"location", "../secret.bin"}}).find("leaves the model's folder"), std::string::npos);
  EXPECT_NE(Attempt({{"location", "weights/../../secret.bin"}}).find("leaves the model's folder"), std::string::npos);
}

TEST_F(HostileExternalData, AbsolutePathIsRejected) {
  std::string message = Attempt({{"location", (temp_ / "secret.bin").string()}});
  EXPECT_NE(message.find("absolute path"), std::string::npos) << message;
}

TEST_F(HostileExternalData, SymlinkLeavingTheFolderIsRejected) {
  std::filesystem::create_symlink(temp_ / "secret.bin", temp_ / "model" / "link.bin");
  std::string message = Attempt({{"location", "link.bin"}});
  EXPECT_NE(message.find("links outside"), std::string::npos) << message;
  std::filesystem::create_directory_symlink(temp_.path(), temp_ / "model" / "up");
  message = Attempt({{"location", "up/secret.bin"}});
  EXPECT_NE(message.find("links outside"), std::string::npos) << message;
}

TEST_F(HostileExternalData, OffsetAndLengthMustLieInsideTheFile) {
  EXPECT_NE(Attempt({{"location", "w.bin"}, {"offset", "17"}}).find("beyond the end"), std::string::npos);
  EXPECT_NE(Attempt({{"location", "w.bin"}, {"offset", "8"}, {"length", "16"}}).find("beyond the end"), std::string::npos);
  EXPECT_NE(Attempt({{"location", "w.bin"}, {"offset", "18446744073709551615"}, {"length", "16"}}).find("beyond the end"),
            std::string::npos);
  EXPECT_NE(Attempt({{"location", "w.bin"}, {"offset", "-4"}}).find("not a non-negative integer"), std::string::npos);
  EXPECT_NE(Attempt({{"location", "w.bin"}, {"length", "x"}}).find("not a non-negative integer"), std::string::npos);
}

TEST_F(HostileExternalData, LengthMustMatchTheTensor) {
  std::string message = Attempt({{"location", "w.bin"}, {"length", "8"}});
  EXPECT_NE(message.find("need 16"), std::string::npos) << message;
}

TEST_F(HostileExternalData, MissingFileOrFolderIsRejected) {
  EXPECT_NE(Attempt({{"location", "nothere.bin"}}).find("not found"), std::string::npos);
  EXPECT_NE(Attempt({{"location", "weights"}}).find("not a regular file"), std::string::npos);
  EXPECT_NE(Attempt({}).find("no location"), std::string::npos);
}

TEST_F(HostileExternalData, MessageNamesTheModelFileAndTensor) {
  std::string message = Attempt({{"location", "../secret.bin"}});
  EXPECT_NE(message.find("m.onnx"), std::string::npos) << message;
  EXPECT_NE(message.find("tensor 'w'"), std::string::npos) << message;
}

}  // namespace
}  // namespace onnxkit
