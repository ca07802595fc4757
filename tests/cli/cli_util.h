// Shared by the command-line tests: writing small models and tensors, checking failures.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "runtime/tensor.h"
#include "tests/test_util.h"

namespace onnxkit::testing {

// Parses ONNX textual syntax and saves it as a .onnx file.
void WriteTextModel(const std::filesystem::path& path, std::string_view text);

// Writes a float32 .npy of the given shape and values.
void WriteFloatNpy(const std::filesystem::path& path, const runtime::Shape& shape, const std::vector<float>& values);

// The tool exited with `exit_code`, printed exactly one stderr line containing `expected`, and
// was not killed by a signal.
void ExpectOneLineError(const CommandResult& result, int exit_code, std::string_view expected);

}  // namespace onnxkit::testing
