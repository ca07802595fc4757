#include "tests/test_util.h"

#include <google/protobuf/util/message_differencer.h>
#include <onnx/checker.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "ir/mapped_file.h"
#include "ir/onnx_export.h"
#include "ir/model_io.h"
#include "ir/text_format.h"

namespace onnxkit::testing {

std::string OnnxCheckerProblem(const Model& model) {
  try {
    ExportOptions inline_everything;
    inline_everything.placeholder_minimum_bytes = SIZE_MAX;
    onnx::checker::check_model(ExportModel(model, inline_everything).proto);
    return "";
  } catch (const std::exception& error) {
    return error.what();
  }
}

std::unique_ptr<Model> ParseModel(std::string_view text) {
  auto model = ParseModelText(text);
  if (!model.ok()) {
    ADD_FAILURE() << model.message() << "\nin:\n" << text;
    throw std::runtime_error(model.message());
  }
  return std::move(model).value();
}

std::string Serialize(const Model& model) {
  auto bytes = SerializeModel(model);
  if (!bytes.ok()) throw std::runtime_error(bytes.message());
  return std::move(bytes).value();
}

std::string DiffModels(const std::string& expected_bytes, const std::string& actual_bytes) {
  onnx::ModelProto expected, actual;
  if (!expected.ParseFromString(expected_bytes)) return "expected bytes do not parse";
  if (!actual.ParseFromString(actual_bytes)) return "actual bytes do not parse";
  std::string report;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  differencer.Compare(expected, actual);
  return report;
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / fmt::format("onnxkit-test-{}-{:08x}", getpid(), random());
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ignored);
  std::filesystem::remove_all(path_, ignored);
}

CommandResult RunCommand(const std::string& command_line) {
  TempDir capture;
  std::string full = fmt::format("{} >'{}' 2>'{}' </dev/null", command_line, (capture / "out").string(),
                                 (capture / "err").string());
  int status = std::system(full.c_str());
  CommandResult result;
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
    // The shell reports a child killed by a signal as 128 + signal.
    if (result.exit_code > 128 && result.exit_code < 160) result.signal = result.exit_code - 128;
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  result.out = ReadFile(capture / "out");
  result.err = ReadFile(capture / "err");
  return result;
}

std::string ToolPath(std::string_view tool) { return fmt::format("{}/{}", ONNXKIT_TOOLS_DIR, tool); }

std::filesystem::path SourceDir() { return ONNXKIT_SOURCE_DIR; }

std::filesystem::path BackendTestDataDir() {
  std::filesystem::path dir = "/usr/share/libonnx-testdata/data";
  return std::filesystem::is_directory(dir) ? dir : std::filesystem::path();
}

std::vector<std::filesystem::path> BackendTestModels() {
  std::vector<std::filesystem::path> models;
  std::filesystem::path root = BackendTestDataDir();
  if (root.empty()) return models;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
    if (entry.path().filename() == "model.onnx") models.push_back(entry.path());
  std::sort(models.begin(), models.end());
  return models;
}

std::vector<std::filesystem::path> FixtureModels() {
  std::vector<std::filesystem::path> models;
  for (const auto& entry : std::filesystem::directory_iterator(SourceDir() / "fixtures"))
    if (entry.path().extension() == ".onnx") models.push_back(entry.path());
  std::sort(models.begin(), models.end());
  return models;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

SharedBytes MapFileBytes(const std::filesystem::path& path) {
  auto bytes = MapFile(path);
  return bytes.ok() ? std::move(bytes).value() : SharedBytes();
}

void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace onnxkit::testing
