// Differential testing of the optimizer: every registered pass alone, and every optimization
// level, on every fixture and every ONNX backend test model the runtime can run, compared on the
// bundled runtime against the unoptimized model with the model's own test inputs. Cleanup and
// folding must give bit-identical outputs; fusions may change float rounding only. A model the ONNX
// checker accepts must still be accepted after optimization.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "ir/model_io.h"
#include "ir/onnx_export.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "runtime/sample_data.h"
#include "runtime/session.h"
#include "runtime/tensor_compare.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

constexpr runtime::Tolerance kFusionTolerance{1e-3, 1e-4};

struct Subject {
  std::filesystem::path path;
  SharedBytes bytes;
  std::vector<runtime::NamedTensor> inputs;
  std::vector<runtime::Tensor> expected;
  bool passes_checker = false;  // the original passes the ONNX checker: the optimized model must too
};

// Models with test inputs whose original runs on the bundled runtime.
std::vector<Subject> Subjects() {
  std::vector<std::filesystem::path> paths = FixtureModels();
  auto backend = BackendTestModels();
  paths.insert(paths.end(), backend.begin(), backend.end());
  std::vector<Subject> subjects;
  for (const auto& path : paths) {
    std::filesystem::path data = path.extension() == ".onnx" && path.filename() != "model.onnx"
                                     ? path.parent_path() / path.stem()
                                     : path.parent_path();
    auto bytes = MapFileBytes(path);
    if (bytes.empty()) continue;
    auto model = LoadModelFromBytes(bytes, path.parent_path());
    if (!model.ok()) continue;
    auto session = runtime::Session::Create(**model);
    if (!session.ok()) continue;
    auto folders = runtime::ListSampleFolders(data);
    if (!folders.ok()) continue;
    auto inputs = runtime::ReadSampleFolder(folders->front(), (*session)->inputs());
    if (!inputs.ok()) continue;
    auto outputs = (*session)->run(*inputs);
    if (!outputs.ok()) continue;
    bool passes_checker = OnnxCheckerProblem(**model).empty();
    subjects.push_back(Subject{path, bytes, std::move(inputs).value(), std::move(outputs).value(), passes_checker});
  }
  return subjects;
}

// "" when the optimized model agrees with the subject's original outputs.
// `standard_onnx`: the passes promise standard ONNX (everything but the fuse-ort group, whose
// LayerNormalization below opset 17 is ONNX Runtime's, in the default domain as it registers it).
std::string Check(const Subject& subject, const PipelineGroups& groups, std::optional<runtime::Tolerance> tolerance,
                  bool standard_onnx) {
  auto model = LoadModelFromBytes(subject.bytes, subject.path.parent_path());
  if (!model.ok()) return "load: " + model.message();
  PassManagerOptions options;
  options.verify_each = true;
  options.pipeline_rounds = 3;
  PassManager manager(options);
  for (const auto& group : groups)
    if (Status added = manager.addGroup(group); !added.ok()) return added.message();
  auto rewrites = manager.run(**model);
  if (!rewrites.ok()) return "passes: " + rewrites.message();
  if (*rewrites == 0) return "";
  if (Status valid = VerifyModel(**model); !valid.ok()) return "invalid: " + valid.message();
  if (standard_onnx && subject.passes_checker) {
    if (std::string problem = OnnxCheckerProblem(**model); !problem.empty()) return "ONNX checker: " + problem;
  }
  auto session = runtime::Session::Create(**model);
  if (!session.ok()) return "optimized model does not run: " + session.message();
  auto outputs = (*session)->run(subject.inputs);
  if (!outputs.ok()) return "optimized model fails: " + outputs.message();
  for (size_t i = 0; i < subject.expected.size(); ++i) {
    if (!tolerance) {
      if (!BitIdentical(subject.expected[i], (*outputs)[i])) return fmt::format("output {} is not bit-identical", i);
      continue;
    }
    auto c = runtime::CompareTensors(subject.expected[i], (*outputs)[i], *tolerance);
    if (!c.within_tolerance)
      return fmt::format("output {} differs: {} max abs error {:g}", i, c.problem, c.max_absolute_error);
  }
  return "";
}

class Differential : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { subjects_ = new std::vector<Subject>(Subjects()); }
  static void TearDownTestSuite() { delete subjects_; }
  static std::vector<Subject>* subjects_;
};
std::vector<Subject>* Differential::subjects_ = nullptr;

TEST_F(Differential, EveryPassAloneOnEveryModel) {
  ASSERT_GE(subjects_->size(), 900u);
  size_t checked = std::count_if(subjects_->begin(), subjects_->end(), [](const Subject& s) { return s.passes_checker; });
  EXPECT_GE(checked, 800u) << "originals the ONNX checker accepts";
  for (const PassInfo& info : RegisteredPasses()) {
    bool exact = info.group == PassGroup::kCleanup || info.group == PassGroup::kFold;
    std::optional<runtime::Tolerance> tolerance;
    if (!exact) tolerance = kFusionTolerance;
    int failures = 0;
    for (const Subject& subject : *subjects_) {
      std::string problem = Check(subject, {{std::string(info.name)}}, tolerance, info.group != PassGroup::kFuseOrt);
      if (!problem.empty() && ++failures <= 5) ADD_FAILURE() << info.name << " on " << subject.path << ": " << problem;
    }
    EXPECT_EQ(failures, 0) << info.name;
  }
}

TEST_F(Differential, EveryLevelOnEveryModel) {
  for (int level = 1; level <= 3; ++level) {
    int failures = 0;
    for (const Subject& subject : *subjects_) {
      std::string problem = Check(subject, PipelineForLevel(level), kFusionTolerance, level <= 2);
      if (!problem.empty() && ++failures <= 5) ADD_FAILURE() << "-O" << level << " on " << subject.path << ": " << problem;
    }
    EXPECT_EQ(failures, 0) << "-O" << level;
  }
}

}  // namespace
}  // namespace onnxkit::testing
