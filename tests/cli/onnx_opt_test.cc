// onnx-opt as a pipeline sees it: options, outputs, exit codes, and one clear stderr line with no
// output file for every class of bad input.
#include <gtest/gtest.h>

#include <regex>

#include "ir/model_io.h"
#include "ir/text_format.h"
#include "tests/cli/cli_util.h"
#include "tests/json_value.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::string Opt(const std::string& arguments) { return ToolPath("onnx-opt") + " " + arguments; }

std::string Fixture(const std::string& name) { return (SourceDir() / "fixtures" / name).string(); }


constexpr std::string_view kModelWithIdentity = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  g (float[2] x) => (float[2] y) {
    t = Identity(x)
    dead = Neg(x)
    y = Relu(t)
  }
)";

// Exit code 1, exactly one stderr line containing `expected`, and no output file.
void ExpectCleanFailure(const std::string& arguments, const std::filesystem::path& output, std::string_view expected) {
  CommandResult result = RunCommand(Opt(arguments));
  EXPECT_EQ(result.signal, 0);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(output)) << output;
}

TEST(OnnxOpt, HelpAndVersion) {
  CommandResult help = RunCommand(Opt("--help"));
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
  EXPECT_NE(help.out.find("--passes"), std::string::npos);
  CommandResult version = RunCommand(Opt("--version"));
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find("0."), std::string::npos);
}

TEST(OnnxOpt, ListPasses) {
  CommandResult result = RunCommand(Opt("--list-passes"));
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("eliminate-dead-nodes"), std::string::npos);
  EXPECT_NE(result.out.find("eliminate-identity"), std::string::npos);
  EXPECT_NE(result.out.find("[cleanup]"), std::string::npos);
}

TEST(OnnxOpt, O0IsALosslessRoundTrip) {
  TempDir temp;
  for (const auto& path : FixtureModels()) {
    CommandResult result = RunCommand(Opt("-O0 " + path.string() + " " + (temp / "out.onnx").string()));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(ReadFile(temp / "out.onnx"), ReadFile(path)) << path;
  }
}

TEST(OnnxOpt, DefaultLevelCleansUp) {
  TempDir temp;
  WriteTextModel(temp / "in.onnx", kModelWithIdentity);
  CommandResult result = RunCommand(Opt((temp / "in.onnx").string() + " " + (temp / "out.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = LoadModel(temp / "out.onnx");
  ASSERT_TRUE(model.ok());
  auto nodes = (*model)->graph().nodes();
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0]->opType(), "Relu");
  EXPECT_EQ(nodes[0]->input(0)->name(), "x");
}

TEST(OnnxOpt, PassesOptionRunsOnlyThose) {
  TempDir temp;
  WriteTextModel(temp / "in.onnx", kModelWithIdentity);
  CommandResult result = RunCommand(
      Opt("--passes eliminate-identity " + (temp / "in.onnx").string() + " " + (temp / "out.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = LoadModel(temp / "out.onnx");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->graph().nodeCount(), 2u);  // Neg stays: dead-node elimination did not run
}

TEST(OnnxOpt, DceFlagRunsTheCleanupGroup) {
  TempDir temp;
  WriteTextModel(temp / "in.onnx", kModelWithIdentity);
  CommandResult result = RunCommand(Opt("--dce " + (temp / "in.onnx").string() + " " + (temp / "out.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = LoadModel(temp / "out.onnx");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->graph().nodeCount(), 1u);
}

TEST(OnnxOpt, StatsShowsCountsBeforeAndAfter) {
  TempDir temp;
  WriteTextModel(temp / "in.onnx", kModelWithIdentity);
  CommandResult result =
      RunCommand(Opt("--stats --verify-each " + (temp / "in.onnx").string() + " " + (temp / "out.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("before"), std::string::npos) << result.out;
  // "Identity    1    0" and the total "nodes    3    1"
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(Identity\s+1\s+0)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(nodes\s+3\s+1)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(eliminate-identity\s+runs\s+\d+\s+rewrites\s+1)"))) << result.out;
}

TEST(OnnxOpt, PrintWritesParsableText) {
  TempDir temp;
  WriteTextModel(temp / "in.onnx", kModelWithIdentity);
  CommandResult result = RunCommand(Opt("--print " + (temp / "in.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto model = ParseModelText(result.out);
  ASSERT_TRUE(model.ok()) << model.message() << "\n" << result.out;
  EXPECT_EQ((*model)->graph().nodeCount(), 1u);
  EXPECT_FALSE(std::filesystem::exists(temp / "out.onnx"));
}

TEST(OnnxOpt, PrintShowsEveryNodeOfAnExportedModel) {
  // PyTorch's value names ("/stem/Conv_output_0") are printed as they are; libonnx 1.12's parser
  // cannot read them back, so only the content is checked here.
  CommandResult result = RunCommand(Opt("--print -O0 " + Fixture("cnn_bn_residual.onnx")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  size_t conv_nodes = 0;
  for (size_t at = result.out.find("= Conv<"); at != std::string::npos; at = result.out.find("= Conv<", at + 1))
    ++conv_nodes;
  EXPECT_EQ(conv_nodes, 8u) << result.out;
}

TEST(OnnxOpt, ExternalDataOption) {
  TempDir temp;
  CommandResult result = RunCommand(
      Opt("-O0 --external-data=4096 " + Fixture("cnn_bn_residual.onnx") + " " + (temp / "out.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(temp / "out.onnx.data"));
  EXPECT_LT(std::filesystem::file_size(temp / "out.onnx"), std::filesystem::file_size(Fixture("cnn_bn_residual.onnx")));
  // Reading it back and writing it inline gives the original.
  CommandResult inline_again = RunCommand(Opt("-O0 " + (temp / "out.onnx").string() + " " + (temp / "same.onnx").string()));
  ASSERT_EQ(inline_again.exit_code, 0) << inline_again.err;
  auto a = LoadModel(temp / "same.onnx");
  ASSERT_TRUE(a.ok());
  auto b = LoadModel(Fixture("cnn_bn_residual.onnx"));
  EXPECT_EQ(Serialize(**a), Serialize(**b));
}

TEST(OnnxOpt, ExternalDataWithoutValueUsesTheDefault) {
  TempDir temp;
  CommandResult result =
      RunCommand(Opt("-O0 " + Fixture("cnn_bn_residual.onnx") + " " + (temp / "out.onnx").string() + " --external-data"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::filesystem::exists(temp / "out.onnx.data"));
}

TEST(OnnxOpt, InPlaceRewrite) {
  TempDir temp;
  std::filesystem::copy_file(Fixture("transformer_encoder.onnx"), temp / "m.onnx");
  CommandResult result = RunCommand(Opt((temp / "m.onnx").string() + " " + (temp / "m.onnx").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(LoadModel(temp / "m.onnx").ok());
}

TEST(OnnxOpt, UsageErrorsExitTwo) {
  TempDir temp;
  std::string out = (temp / "out.onnx").string();
  for (const std::string& arguments :
       {std::string("--passes no-such-pass ") + Fixture("digits_cnn.onnx") + " " + out,
        std::string("-O2 --passes eliminate-identity ") + Fixture("digits_cnn.onnx") + " " + out,
        std::string("-O7 ") + Fixture("digits_cnn.onnx") + " " + out, Fixture("digits_cnn.onnx"),
        std::string("--no-such-option ") + Fixture("digits_cnn.onnx") + " " + out, std::string("")}) {
    CommandResult result = RunCommand(Opt(arguments));
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

class OnnxOptBadInput : public ::testing::Test {
 protected:
  std::string out() const { return (temp_ / "out.onnx").string(); }
  TempDir temp_;
};

TEST_F(OnnxOptBadInput, MissingFile) {
  ExpectCleanFailure("/nonexistent/in.onnx " + out(), out(), "/nonexistent/in.onnx: no such file");
}

TEST_F(OnnxOptBadInput, FolderInsteadOfFile) {
  ExpectCleanFailure(temp_.path().string() + " " + out(), out(), "is a folder");
}

TEST_F(OnnxOptBadInput, NotAProtobuf) {
  WriteFile(temp_ / "in.onnx", "hello, I am text\n");
  ExpectCleanFailure((temp_ / "in.onnx").string() + " " + out(), out(), "in.onnx: not an ONNX model");
}

TEST_F(OnnxOptBadInput, TruncatedModel) {
  std::string bytes = ReadFile(Fixture("cnn_bn_residual.onnx"));
  WriteFile(temp_ / "in.onnx", bytes.substr(0, bytes.size() / 2));
  ExpectCleanFailure((temp_ / "in.onnx").string() + " " + out(), out(), "in.onnx: not an ONNX model");
}

TEST_F(OnnxOptBadInput, UnsupportedIrVersion) {
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(ReadFile(Fixture("digits_cnn.onnx"))));
  proto.set_ir_version(42);
  WriteFile(temp_ / "in.onnx", proto.SerializeAsString());
  ExpectCleanFailure((temp_ / "in.onnx").string() + " " + out(), out(), "unsupported IR version 42");
}

TEST_F(OnnxOptBadInput, InvalidGraph) {
  WriteTextModel(temp_ / "in.onnx", R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) { y = Add(x, missing) }
  )");
  ExpectCleanFailure((temp_ / "in.onnx").string() + " " + out(), out(), "invalid model");
}

TEST_F(OnnxOptBadInput, UnwritableOutput) {
  std::string missing_folder = (temp_ / "no" / "such" / "out.onnx").string();
  ExpectCleanFailure(Fixture("digits_cnn.onnx") + " " + missing_folder, missing_folder, "does not exist");
  std::filesystem::create_directory(temp_ / "folder.onnx");
  CommandResult result = RunCommand(Opt(Fixture("digits_cnn.onnx") + " " + (temp_ / "folder.onnx").string()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("is a folder"), std::string::npos) << result.err;
}

TEST_F(OnnxOptBadInput, FailureLeavesAnExistingOutputUntouched) {
  WriteFile(temp_ / "out.onnx", "previous");
  WriteFile(temp_ / "in.onnx", "garbage");
  CommandResult result = RunCommand(Opt((temp_ / "in.onnx").string() + " " + out()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(ReadFile(temp_ / "out.onnx"), "previous");
}

}  // namespace
}  // namespace onnxkit

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::string OptCommand(const std::string& arguments) { return ToolPath("onnx-opt") + " " + arguments; }

int64_t CountOps(const std::filesystem::path& path, const std::string& op) {
  auto model = LoadModel(path);
  EXPECT_TRUE(model.ok()) << model.message();
  if (!model.ok()) return -1;
  int64_t count = 0;
  for (const Node* node : (*model)->graph().nodes()) count += node->opType() == op;
  return count;
}

class OnnxOptLevels : public ::testing::Test {
 protected:
  std::string cnn() const { return (SourceDir() / "fixtures" / "cnn_bn_residual.onnx").string(); }
  std::string out() const { return (temp_ / "out.onnx").string(); }
  TempDir temp_;
};

TEST_F(OnnxOptLevels, LevelsAndGroups) {
  ASSERT_EQ(RunCommand(OptCommand("-O1 " + cnn() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "BatchNormalization"), 8);  // no fusion at -O1
  ASSERT_EQ(RunCommand(OptCommand("-O2 " + cnn() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "BatchNormalization"), 0);
  ASSERT_EQ(RunCommand(OptCommand("--disable fuse-conv-batchnorm " + cnn() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "BatchNormalization"), 8);
  ASSERT_EQ(RunCommand(OptCommand("--fold " + cnn() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "BatchNormalization"), 8);
  ASSERT_EQ(RunCommand(OptCommand("--fuse " + cnn() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "BatchNormalization"), 0);
}

TEST_F(OnnxOptLevels, VerifyAndJson) {
  auto result = RunCommand(OptCommand("--verify --json " + cnn() + " " + out()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string error;
  auto json = ParseJson(result.out, &error);
  ASSERT_TRUE(json) << error << "\n" << result.out;
  EXPECT_EQ((*json)["nodes_before"].number, 30);
  EXPECT_LT((*json)["nodes_after"].number, 30);
  EXPECT_EQ((*json)["ops_before"]["BatchNormalization"].number, 8);
  EXPECT_FALSE((*json)["ops_after"].has("BatchNormalization"));
  EXPECT_GT((*json)["initializer_bytes_before"].number, (*json)["initializer_bytes_after"].number);
  EXPECT_TRUE((*json)["verify"]["passed"].boolean);
  bool found = false;
  for (const JsonValue& pass : (*json)["passes"].array)
    if (pass["name"].string == "fuse-conv-batchnorm") found = pass["rewrites"].number == 8;
  EXPECT_TRUE(found) << result.out;

  auto with_data = RunCommand(OptCommand("--stats --verify=" + (SourceDir() / "fixtures" / "cnn_bn_residual").string() +
                                         " " + cnn() + " " + out()));
  ASSERT_EQ(with_data.exit_code, 0) << with_data.err;
  EXPECT_NE(with_data.out.find("verify: 1 sample(s)"), std::string::npos) << with_data.out;
}

TEST_F(OnnxOptLevels, PrintIrAfterAndExplain) {
  auto result = RunCommand(OptCommand("--print-ir-after fuse-conv-batchnorm " + cnn() + " " + out()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("after fuse-conv-batchnorm"), std::string::npos);
  auto explained = RunCommand(OptCommand("--explain --passes fuse-conv-batchnorm " + (SourceDir() / "fixtures" / "transformer_encoder.onnx").string() + " " + out()));
  ASSERT_EQ(explained.exit_code, 0) << explained.err;
  auto bad = RunCommand(OptCommand("--print-ir-after no-such-pass " + cnn() + " " + out()));
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(OnnxOptLevels, FoldMaxBytes) {
  WriteTextModel(temp_ / "in.onnx", R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1000] x) => (float[1000] y) {
      s = Constant<value = int64[1] {1000}>()
      c = ConstantOfShape<value = float[1] {2}>(s)
      y = Mul(x, c)
    }
  )");
  ASSERT_EQ(RunCommand(OptCommand("-O1 " + (temp_ / "in.onnx").string() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "ConstantOfShape"), 1);  // 4000 bytes from 8: would grow the model
  ASSERT_EQ(RunCommand(OptCommand("-O1 --fold-max-bytes 8000 " + (temp_ / "in.onnx").string() + " " + out())).exit_code, 0);
  EXPECT_EQ(CountOps(out(), "ConstantOfShape"), 0);
}

TEST_F(OnnxOptLevels, UsageErrors) {
  for (const std::string& arguments : {std::string("--passes eliminate-identity -O1 ") + cnn() + " " + out(),
                                       std::string("--disable nope ") + cnn() + " " + out(),
                                       std::string("--target tpu ") + cnn() + " " + out(),
                                       std::string("--verify-rtol 0.1 ") + cnn() + " " + out()}) {
    auto result = RunCommand(OptCommand(arguments));
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.err;
    EXPECT_FALSE(std::filesystem::exists(out()));
  }
}

}  // namespace
}  // namespace onnxkit
