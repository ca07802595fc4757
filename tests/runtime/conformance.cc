#include "tests/runtime/conformance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "ir/model_io.h"
#include "ir/verifier.h"
#include "runtime/session.h"
#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

using runtime::Tensor;

constexpr double kRelativeTolerance = 1e-3;
constexpr double kAbsoluteTolerance = 1e-5;

std::string Compare(const Tensor& expected, const Tensor& actual, size_t index) {
  if (expected.dtype() != actual.dtype())
    return fmt::format("output {}: type {} expected, got {}", index, DataTypeName(expected.dtype()),
                       DataTypeName(actual.dtype()));
  if (expected.shape() != actual.shape())
    return fmt::format("output {}: shape [{}] expected, got [{}]", index, runtime::ShapeToString(expected.shape()),
                       runtime::ShapeToString(actual.shape()));
  int64_t count = expected.elementCount();
  if (expected.dtype() == DataType::kString) {
    for (int64_t i = 0; i < count; ++i)
      if (expected.strings()[static_cast<size_t>(i)] != actual.strings()[static_cast<size_t>(i)])
        return fmt::format("output {}: string {} differs", index, i);
    return "";
  }
  bool floating = IsFloatingPoint(expected.dtype());
  for (int64_t i = 0; i < count; ++i) {
    if (!floating) {
      if (expected.elementAsInt64(i) != actual.elementAsInt64(i))
        return fmt::format("output {}: element {} is {}, expected {}", index, i, actual.elementAsInt64(i),
                           expected.elementAsInt64(i));
      continue;
    }
    double e = expected.elementAsDouble(i), a = actual.elementAsDouble(i);
    if (std::isnan(e) || std::isnan(a)) {
      if (std::isnan(e) != std::isnan(a)) return fmt::format("output {}: element {} is {}, expected {}", index, i, a, e);
      continue;
    }
    if (std::isinf(e) || std::isinf(a)) {
      if (e != a) return fmt::format("output {}: element {} is {}, expected {}", index, i, a, e);
      continue;
    }
    if (std::abs(a - e) > kAbsoluteTolerance + kRelativeTolerance * std::abs(e))
      return fmt::format("output {}: element {} is {}, expected {}", index, i, a, e);
  }
  return "";
}

std::vector<std::filesystem::path> SortedFiles(const std::filesystem::path& dir, const std::string& prefix) {
  std::vector<std::pair<int, std::filesystem::path>> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(".pb"))
      found.emplace_back(std::stoi(name.substr(prefix.size())), entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> files;
  for (auto& [index, path] : found) files.push_back(path);
  return files;
}

// libonnx-testdata 1.12 stores bfloat16 tensors as UINT16 (same bits): read them as declared.
Tensor AdaptKnownDataQuirks(const runtime::Session& session, const std::string& name, Tensor tensor) {
  for (const auto& spec : session.inputs()) {
    if (spec.name == name && spec.type == DataType::kBfloat16 && tensor.dtype() == DataType::kUint16)
      return Tensor::Wrap(DataType::kBfloat16, tensor.shape(), std::make_shared<Tensor>(tensor), tensor.raw());
  }
  return tensor;
}

std::string RunDataSet(runtime::Session& session, const std::filesystem::path& data_dir) {
  std::vector<runtime::NamedTensor> feeds;
  auto input_files = SortedFiles(data_dir, "input_");
  // Inputs without a default, in order: the .pb files without names map to these positions.
  std::vector<std::string> required;
  for (const auto& spec : session.inputs())
    if (!spec.has_default) required.push_back(spec.name);
  for (size_t i = 0; i < input_files.size(); ++i) {
    auto named = runtime::ReadTensorProtoFile(input_files[i]);
    if (!named.ok()) return "input: " + named.message();
    std::string name = named->first;
    bool known = std::any_of(session.inputs().begin(), session.inputs().end(),
                             [&](const auto& spec) { return spec.name == name; });
    if (!known) {
      if (i >= required.size()) return fmt::format("input file {} has no matching graph input", i);
      name = required[i];
    }
    feeds.emplace_back(name, AdaptKnownDataQuirks(session, name, std::move(named->second)));
  }
  auto outputs = session.run(feeds);
  if (!outputs.ok()) return "run: " + outputs.message();
  auto output_files = SortedFiles(data_dir, "output_");
  if (output_files.size() != outputs->size())
    return fmt::format("{} outputs expected, got {}", output_files.size(), outputs->size());
  for (size_t i = 0; i < output_files.size(); ++i) {
    auto expected = runtime::ReadTensorProtoFile(output_files[i]);
    if (!expected.ok()) return "expected output: " + expected.message();
    Tensor reference = std::move(expected->second);
    if (reference.dtype() == DataType::kUint16 && (*outputs)[i].dtype() == DataType::kBfloat16)
      reference = Tensor::Wrap(DataType::kBfloat16, reference.shape(), std::make_shared<Tensor>(reference), reference.raw());
    std::string problem = Compare(reference, (*outputs)[i], i);
    if (!problem.empty()) return problem;
  }
  return "";
}

}  // namespace

ConformanceResult RunBackendTest(const std::filesystem::path& test_dir, const runtime::SessionOptions& options) {
  ConformanceResult result;
  result.suite = test_dir.parent_path().filename().string();
  result.name = test_dir.filename().string();
  try {
    auto model = LoadModel(test_dir / "model.onnx");
    if (!model.ok()) {
      result.failure = "load: " + model.message();
      return result;
    }
    auto session = runtime::Session::Create(**model, options);
    if (!session.ok()) {
      result.failure = "session: " + session.message();
      return result;
    }
    std::vector<std::filesystem::path> data_sets;
    for (const auto& entry : std::filesystem::directory_iterator(test_dir))
      if (entry.is_directory() && entry.path().filename().string().starts_with("test_data_set_")) data_sets.push_back(entry.path());
    std::sort(data_sets.begin(), data_sets.end());
    if (data_sets.empty()) {
      result.failure = "no test data";
      return result;
    }
    for (const auto& data_set : data_sets) {
      std::string problem = RunDataSet(**session, data_set);
      if (!problem.empty()) {
        result.failure = data_set.filename().string() + ": " + problem;
        return result;
      }
    }
    result.passed = true;
  } catch (const std::exception& e) {
    result.failure = std::string("exception: ") + e.what();
  }
  return result;
}

std::vector<ConformanceResult> RunBackendSuite(const std::string& suite, const std::string& filter,
                                               const runtime::SessionOptions& options) {
  std::vector<std::filesystem::path> tests;
  std::filesystem::path root = BackendTestDataDir() / suite;
  if (!std::filesystem::is_directory(root)) return {};
  for (const auto& entry : std::filesystem::directory_iterator(root))
    if (entry.is_directory() && entry.path().filename().string().find(filter) != std::string::npos) tests.push_back(entry.path());
  std::sort(tests.begin(), tests.end());
  std::vector<ConformanceResult> results;
  for (const auto& test : tests) results.push_back(RunBackendTest(test, options));
  return results;
}

}  // namespace onnxkit::testing
