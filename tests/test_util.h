// Helpers shared by the tests: text-format models, temporary folders, running the tools.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"
#include "ir/shared_bytes.h"

namespace onnxkit::testing {

// Parses ONNX textual syntax; fails the test (and throws) on a parse or import error.
std::unique_ptr<Model> ParseModel(std::string_view text);

// The model serialized with everything inline.
std::string Serialize(const Model& model);

// "" when the ONNX checker (onnx::checker::check_model) accepts the model, else its message.
std::string OnnxCheckerProblem(const Model& model);

// Compares two models field by field (MessageDifferencer); returns the differences, empty if equal.
std::string DiffModels(const std::string& expected_bytes, const std::string& actual_bytes);

// A fresh folder under the system temp folder, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
};
// Runs a shell command line with stdout and stderr captured.
CommandResult RunCommand(const std::string& command_line);

// Path of a built tool ("onnx-opt") and of the source tree.
std::string ToolPath(std::string_view tool);
std::filesystem::path SourceDir();
// /usr/share/libonnx-testdata/data, or empty when the package is missing.
std::filesystem::path BackendTestDataDir();
// Every model.onnx of the ONNX backend test data, sorted.
std::vector<std::filesystem::path> BackendTestModels();
// The committed fixture models (fixtures/*.onnx), sorted.
std::vector<std::filesystem::path> FixtureModels();

std::string ReadFile(const std::filesystem::path& path);
// The file's bytes as a SharedBytes (memory-mapped); empty on error.
SharedBytes MapFileBytes(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, std::string_view bytes);

}  // namespace onnxkit::testing
