// The flags every tool shares (tools/common/output.h): --help with examples, --version, exit code 2
// for usage errors, --quiet (only errors on stderr, nothing on stdout but asked-for output),
// --verbose (detail on stderr, stdout unchanged) and --json (exactly one JSON document on stdout),
// checked on a successful run of each of onnx-opt, onnx-run, onnx-check, onnx-quant and onnx-info.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <regex>

#include "tests/cli/cli_util.h"
#include "tests/json_value.h"

namespace onnxkit::testing {
namespace {

// MatMul with a constant weight (dynamically quantizable), an Identity and a Relu (onnx-opt removes
// the Identity).
constexpr std::string_view kModel = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  g (float[2, 4] x) => (float[2, 3] y)
    <float[4, 3] w = {0.5, -1.0, 0.25, 1.5, 0.75, -0.5, -0.25, 1.0, 2.0, 0.125, -1.5, 0.5}> {
    m = MatMul(x, w)
    t = Identity(m)
    y = Relu(t)
  }
)";

const std::vector<std::string>& Tools() {
  static const std::vector<std::string> tools{"onnx-opt", "onnx-run", "onnx-check", "onnx-quant", "onnx-info"};
  return tools;
}

bool Contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

JsonValue ParseOrFail(const std::string& text) {
  std::string error;
  auto json = ParseJson(text, &error);
  EXPECT_TRUE(json.has_value()) << error << "\nstdout was:\n" << text;
  return json ? *json : JsonValue{};
}

class ToolFlags : public ::testing::Test {
 protected:
  void SetUp() override { WriteTextModel(temp_ / "model.onnx", kModel); }

  std::string model() const { return (temp_ / "model.onnx").string(); }

  // A command line of `tool` that succeeds on the model, with `flags` added.
  std::string Command(const std::string& tool, const std::string& flags) const {
    std::string arguments;
    if (tool == "onnx-opt") arguments = model() + " " + (temp_ / "opt.onnx").string();
    else if (tool == "onnx-run") arguments = model();
    else if (tool == "onnx-check") arguments = model() + " " + model() + " --samples 2";
    else if (tool == "onnx-quant") arguments = "--mode dynamic " + model() + " " + (temp_ / "int8.onnx").string();
    else arguments = model();
    return ToolPath(tool) + " " + flags + " " + arguments;
  }

  TempDir temp_;
};

TEST_F(ToolFlags, HelpHasExamplesAndTheSharedFlags) {
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    CommandResult help = RunCommand(ToolPath(tool) + " --help");
    EXPECT_EQ(help.exit_code, 0) << help.err;
    EXPECT_TRUE(help.err.empty()) << help.err;
    EXPECT_TRUE(Contains(help.out, "\nExamples:\n  " + tool + " ")) << help.out;
    EXPECT_TRUE(Contains(help.out, "Exit codes: 0 ")) << help.out;
    for (std::string_view flag : {"-q,--quiet", "-v,--verbose", "--json", "--version", "-h,--help"})
      EXPECT_TRUE(Contains(help.out, flag)) << flag << " missing from:\n" << help.out;
  }
}

TEST_F(ToolFlags, VersionIsTheSameEverywhere) {
  std::string first;
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    CommandResult version = RunCommand(ToolPath(tool) + " --version");
    EXPECT_EQ(version.exit_code, 0) << version.err;
    EXPECT_TRUE(std::regex_match(version.out, std::regex("[0-9]+\\.[0-9]+\\.[0-9]+\n"))) << version.out;
    if (first.empty()) first = version.out;
    EXPECT_EQ(version.out, first);
  }
}

TEST_F(ToolFlags, QuietAndVerboseTogetherAreAUsageError) {
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    CommandResult result = RunCommand(Command(tool, "--quiet --verbose"));
    ExpectOneLineError(result, 2, "excludes");
    EXPECT_TRUE(result.out.empty()) << result.out;
  }
  ExpectOneLineError(RunCommand(ToolPath("onnx-info") + " --no-such-flag " + model()), 2, "--no-such-flag");
}

TEST_F(ToolFlags, DefaultOutputIsHumanText) {
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    CommandResult result = RunCommand(Command(tool, ""));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(result.err.empty()) << result.err;  // no notes, no bars (stderr is not a terminal)
    EXPECT_FALSE(ParseJson(result.out).has_value()) << result.out;
  }
  EXPECT_TRUE(Contains(RunCommand(Command("onnx-run", "")).out, "latency "));
  EXPECT_TRUE(Contains(RunCommand(Command("onnx-check", "")).out, "outputs agree"));
  EXPECT_TRUE(Contains(RunCommand(Command("onnx-quant", "")).out, "model size: "));
  EXPECT_TRUE(Contains(RunCommand(Command("onnx-info", "")).out, "op types:\n"));
}

TEST_F(ToolFlags, QuietPrintsNothingAndStillWorks) {
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    for (std::string_view flag : {"-q", "--quiet"}) {
      CommandResult result = RunCommand(Command(tool, std::string(flag)));
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_EQ(result.out, "");
      EXPECT_EQ(result.err, "");
    }
  }
  // The work is still done.
  EXPECT_TRUE(std::filesystem::exists(temp_ / "opt.onnx"));
  EXPECT_TRUE(std::filesystem::exists(temp_ / "int8.onnx"));
  // Errors still print, one line, under --quiet.
  ExpectOneLineError(RunCommand(ToolPath("onnx-run") + " -q " + (temp_ / "missing.onnx").string()), 1, "missing.onnx");
  // onnx-check -q: the exit code alone says whether the models agree.
  WriteTextModel(temp_ / "other.onnx", R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2, 4] x) => (float[2, 3] y) <float[4, 3] w = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}> {
      m = MatMul(x, w)
      y = Relu(m)
    }
  )");
  CommandResult differ = RunCommand(ToolPath("onnx-check") + " -q " + model() + " " + (temp_ / "other.onnx").string());
  EXPECT_EQ(differ.exit_code, 1);
  EXPECT_EQ(differ.out, "");
}

TEST_F(ToolFlags, JsonIsOneDocumentOnStdout) {
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    // Alone, with --verbose (detail goes to stderr) and with --quiet (the JSON was asked for).
    for (std::string_view extra : {"", "--verbose", "--quiet"}) {
      CommandResult result = RunCommand(Command(tool, "--json " + std::string(extra)));
      EXPECT_EQ(result.exit_code, 0) << result.err;
      JsonValue json = ParseOrFail(result.out);
      EXPECT_EQ(json.kind, JsonValue::Kind::kObject);
      if (extra == "--verbose") EXPECT_FALSE(result.err.empty());
      else EXPECT_EQ(result.err, "");
    }
  }
}

TEST_F(ToolFlags, JsonContentPerTool) {
  JsonValue opt = ParseOrFail(RunCommand(Command("onnx-opt", "--json")).out);
  EXPECT_EQ(opt["nodes_before"].number, 3);
  EXPECT_EQ(opt["nodes_after"].number, 2);
  EXPECT_EQ(opt["ops_before"]["Identity"].number, 1);
  EXPECT_FALSE(opt["ops_after"].has("Identity"));

  JsonValue run = ParseOrFail(RunCommand(Command("onnx-run", "--json")).out);
  ASSERT_EQ(run["outputs"].array.size(), 1u);
  EXPECT_EQ(run["outputs"][0]["name"].string, "y");
  EXPECT_EQ(run["outputs"][0]["shape"][1].number, 3);

  JsonValue check = ParseOrFail(RunCommand(Command("onnx-check", "--json")).out);
  EXPECT_TRUE(check["passed"].boolean);
  EXPECT_EQ(check["samples"].number, 2);

  JsonValue info = ParseOrFail(RunCommand(Command("onnx-info", "--json")).out);
  EXPECT_EQ(info["node_count"].number, 3);

  // onnx-quant --json prints the --report document.
  std::string report = (temp_ / "report.json").string();
  CommandResult quant = RunCommand(Command("onnx-quant", "--json --report " + report));
  ASSERT_EQ(quant.exit_code, 0) << quant.err;
  JsonValue printed = ParseOrFail(quant.out);
  EXPECT_EQ(quant.out, ReadFile(report));
  EXPECT_EQ(printed["mode"].string, "dynamic");
  EXPECT_EQ(printed["samples"].number, 4);  // seeded random samples
  ASSERT_EQ(printed["outputs"].array.size(), 1u);
  EXPECT_EQ(printed["outputs"][0]["name"].string, "y");
  EXPECT_GT(printed["outputs"][0]["cosine"].number, 0.99);
  EXPECT_GT(printed["model_bytes_before"].number, 0);

  // onnx-quant merge has the flags too.
  std::string calib = (temp_ / "calib").string();
  std::filesystem::create_directory(calib);
  WriteFloatNpy(temp_ / "calib" / "x.npy", {2, 4}, {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f});
  std::string table = (temp_ / "t.pb").string();
  ASSERT_EQ(RunCommand(ToolPath("onnx-quant") + " -q --calib " + calib + " --save-calib-table " + table + " " + model() +
                       " " + (temp_ / "s.onnx").string())
                .exit_code,
            0);
  CommandResult merge = RunCommand(ToolPath("onnx-quant") + " merge --json " + table + " " + table + " -o " +
                                   (temp_ / "all.pb").string());
  ASSERT_EQ(merge.exit_code, 0) << merge.err;
  JsonValue merged = ParseOrFail(merge.out);
  EXPECT_EQ(merged["tables"].number, 2);
  EXPECT_GT(merged["tensors"].number, 0);
}

TEST_F(ToolFlags, VerboseAddsDetailOnStderrOnly) {
  // stdout is the same with and without --verbose (timings aside).
  auto without_numbers = [](const std::string& text) {
    return std::regex_replace(text, std::regex("[0-9]+\\.[0-9]+ ms"), "<ms>");
  };
  for (const std::string& tool : Tools()) {
    SCOPED_TRACE(tool);
    CommandResult plain = RunCommand(Command(tool, ""));
    CommandResult verbose = RunCommand(Command(tool, "-v"));
    EXPECT_EQ(verbose.exit_code, 0) << verbose.err;
    EXPECT_EQ(without_numbers(verbose.out), without_numbers(plain.out));
    EXPECT_FALSE(verbose.err.empty());
    EXPECT_FALSE(Contains(verbose.err, "error")) << verbose.err;
  }
  // What each tool details.
  std::string opt = RunCommand(Command("onnx-opt", "--verbose")).err;
  EXPECT_TRUE(std::regex_search(opt, std::regex("passes: [0-9]+ rewrites in [0-9.]+ ms\n"))) << opt;
  EXPECT_TRUE(std::regex_search(opt, std::regex("\n  eliminate-identity +runs +[0-9]+  rewrites +1  +[0-9.]+ ms\n")))
      << opt;
  EXPECT_TRUE(Contains(opt, "load and verify ")) << opt;
  EXPECT_TRUE(Contains(opt, "save ")) << opt;

  std::string run = RunCommand(Command("onnx-run", "--verbose")).err;
  EXPECT_TRUE(Contains(run, "per-node time of the first run (3 nodes executed):")) << run;
  EXPECT_TRUE(std::regex_search(run, std::regex("\n  MatMul +- +[0-9.]+ ms\n"))) << run;
  EXPECT_TRUE(std::regex_search(run, std::regex("\n  Identity +1 nodes +[0-9.]+ ms\n"))) << run;
  EXPECT_TRUE(Contains(run, "input x: ")) << run;

  std::string check = RunCommand(Command("onnx-check", "--verbose")).err;
  EXPECT_TRUE(Contains(check, "output 'y': reference float[2,3], candidate float[2,3]")) << check;
  EXPECT_TRUE(Contains(check, "sample 0 output 'y': max abs 0 ")) << check;
  EXPECT_TRUE(Contains(check, "sample 1 output 'y': max abs 0 ")) << check;

  std::string quant = RunCommand(Command("onnx-quant", "--verbose")).err;
  for (int sample = 1; sample <= 4; ++sample)
    EXPECT_TRUE(Contains(quant, fmt::format("comparing with FP32 (pass 1): sample {} (random, seed {})", sample,
                                            sample - 1)))
        << quant;
  EXPECT_TRUE(Contains(quant, "quantize and compare with FP32 (0 fallback step(s))")) << quant;

  std::string info = RunCommand(Command("onnx-info", "--verbose --dot " + (temp_ / "g.gv").string())).err;
  EXPECT_TRUE(Contains(info, "load ")) << info;
  EXPECT_TRUE(Contains(info, "shape inference and DOT (3 nodes)")) << info;
}

TEST_F(ToolFlags, VerboseCalibrationSaysEverySample) {
  std::filesystem::create_directory(temp_ / "calib");
  for (int i = 0; i < 3; ++i) {
    std::filesystem::create_directory(temp_ / "calib" / fmt::format("s{}", i));
    WriteFloatNpy(temp_ / "calib" / fmt::format("s{}", i) / "x.npy", {2, 4},
                  {0.1f * i, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f});
  }
  CommandResult result = RunCommand(ToolPath("onnx-quant") + " -v --calib " + (temp_ / "calib").string() + " " + model() +
                                    " " + (temp_ / "s.onnx").string());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (int sample = 1; sample <= 3; ++sample)
    EXPECT_TRUE(Contains(result.err, fmt::format("calibration sample {}/3\n", sample))) << result.err;
  EXPECT_TRUE(Contains(result.err, "comparing with FP32 (pass 1): sample 3 ")) << result.err;
  EXPECT_FALSE(Contains(result.err, "\r")) << "no progress bar under --verbose or pipes";
}

TEST_F(ToolFlags, OptListPassesAsJsonAndJsonExcludesPrint) {
  CommandResult list = RunCommand(ToolPath("onnx-opt") + " --list-passes --json");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  JsonValue passes = ParseOrFail(list.out);
  ASSERT_EQ(passes.kind, JsonValue::Kind::kArray);
  bool found = false;
  for (const JsonValue& pass : passes.array)
    if (pass["name"].string == "eliminate-identity") found = pass["group"].string == "cleanup";
  EXPECT_TRUE(found) << list.out;
  // Two documents (JSON and the model text) cannot share stdout.
  ExpectOneLineError(RunCommand(ToolPath("onnx-opt") + " --json --print " + model()), 2, "excludes");
  // --print is asked-for output: it survives --quiet.
  CommandResult printed = RunCommand(ToolPath("onnx-opt") + " -q --print " + model());
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_TRUE(Contains(printed.out, "Relu")) << printed.out;
  EXPECT_EQ(printed.err, "");
}

}  // namespace
}  // namespace onnxkit::testing
