// Every tool on every file of the hostile-model corpus (tests/bad_models/, made by
// make_bad_models.py): exit 1, exactly one stderr line naming the file, no output file, no
// signal, no hang. Models named run_* are valid files whose execution must fail: onnx-opt may
// optimize them (exit 0) but must not crash or hang, and the runtime tools must refuse them.
#include <gtest/gtest.h>

#include "tests/cli/cli_util.h"

namespace onnxkit::testing {
namespace {

std::vector<std::filesystem::path> BadModels() {
  std::vector<std::filesystem::path> models;
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() / "tests" / "bad_models"))
    if (entry.path().extension() == ".onnx") models.push_back(entry.path());
  std::sort(models.begin(), models.end());
  return models;
}

// The tool line, bounded in time: a hang shows as exit code 124. The bound leaves room for the
// sanitizer build, where run_loop_absurd_trip_count.onnx's 10^7 refused iterations take a while.
std::string Bounded(const std::string& tool, const std::string& arguments) {
  return "timeout 300 " + ToolPath(tool) + " " + arguments;
}

bool IsRunOnly(const std::filesystem::path& model) { return model.filename().string().rfind("run_", 0) == 0; }

TEST(BadModels, CorpusIsThere) { EXPECT_GE(BadModels().size(), 25u); }

TEST(BadModels, OnnxOptRefusesEachCleanlyAndWritesNothing) {
  TempDir temp;
  for (const auto& model : BadModels()) {
    SCOPED_TRACE(model.filename().string());
    auto out = temp / (model.stem().string() + ".out.onnx");
    auto result = RunCommand(Bounded("onnx-opt", "-O2 " + model.string() + " " + out.string()));
    if (IsRunOnly(model) && result.exit_code == 0) continue;  // a valid model: optimizing it is fine
    ExpectOneLineError(result, 1, model.filename().string());
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

TEST(BadModels, OnnxRunRefusesEachCleanly) {
  TempDir temp;
  for (const auto& model : BadModels()) {
    SCOPED_TRACE(model.filename().string());
    auto result = RunCommand(Bounded("onnx-run", model.string() + " --out " + (temp / model.stem().string()).string()));
    ExpectOneLineError(result, 1, model.filename().string());
    EXPECT_FALSE(std::filesystem::exists(temp / model.stem().string() / "output_0.npy"));
  }
}

TEST(BadModels, OnnxCheckRefusesEachCleanly) {
  for (const auto& model : BadModels()) {
    SCOPED_TRACE(model.filename().string());
    auto result = RunCommand(Bounded("onnx-check", model.string() + " " + model.string()));
    ExpectOneLineError(result, 1, model.filename().string());
  }
}

TEST(BadModels, OnnxQuantRefusesEachCleanlyAndWritesNothing) {
  TempDir temp;
  for (const auto& model : BadModels()) {
    SCOPED_TRACE(model.filename().string());
    auto out = temp / (model.stem().string() + ".int8.onnx");
    // Dynamic mode needs no data; quantizing a run_* model's weights without running it is fine.
    auto result = RunCommand(Bounded("onnx-quant", "-q --mode dynamic " + model.string() + " " + out.string()));
    if (IsRunOnly(model) && result.exit_code == 0) continue;
    ExpectOneLineError(result, 1, model.filename().string());
    EXPECT_FALSE(std::filesystem::exists(out));
  }
}

TEST(BadModels, OnnxInfoRefusesEachCleanlyAndWritesNothing) {
  TempDir temp;
  for (const auto& model : BadModels()) {
    SCOPED_TRACE(model.filename().string());
    auto html = temp / (model.stem().string() + ".html");
    auto result = RunCommand(Bounded("onnx-info", model.string() + " --html " + html.string()));
    if (IsRunOnly(model)) {  // a valid file: describing it must work
      EXPECT_EQ(result.exit_code, 0) << result.err;
      continue;
    }
    ExpectOneLineError(result, 1, model.filename().string());
    EXPECT_FALSE(std::filesystem::exists(html));
  }
}

}  // namespace
}  // namespace onnxkit::testing
