// Every registered pass, alone, over every fixture and every ONNX backend test model: the result
// verifies, a pass reporting no change leaves the model byte-identical, and a second run changes
// nothing. (Numerical comparison against the reference runtime is in tests/runtime.)
#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::string CheckPassOnModel(const std::string& pass, const std::filesystem::path& path) {
  auto model = LoadModel(path);
  if (!model.ok()) return "load: " + model.message();
  std::string before = Serialize(**model);
  PassManager manager;
  std::vector<std::string> names{pass};
  if (Status added = manager.addGroup(names); !added.ok()) return added.message();
  auto rewrites = manager.run(**model);
  if (!rewrites.ok()) return "run: " + rewrites.message();
  if (Status valid = VerifyModel(**model); !valid.ok()) return "invalid after the pass: " + valid.message();
  std::string after = Serialize(**model);
  if (*rewrites == 0 && after != before) return "reported no change but changed the model";
  PassManager again;
  (void)again.addGroup(names);
  auto second = again.run(**model);
  if (!second.ok() || *second != 0) return "a second run changed the model again";
  return "";
}

TEST(RegisteredPasses, EachPassOnEveryModel) {
  std::vector<std::filesystem::path> models = FixtureModels();
  auto backend = BackendTestModels();
  ASSERT_GE(backend.size(), 1000u) << "libonnx-testdata is missing: run scripts/setup.sh";
  models.insert(models.end(), backend.begin(), backend.end());
  for (const PassInfo& info : RegisteredPasses()) {
    int failures = 0;
    for (const auto& path : models) {
      std::string problem = CheckPassOnModel(std::string(info.name), path);
      if (!problem.empty() && ++failures <= 10) ADD_FAILURE() << info.name << " on " << path << ": " << problem;
    }
    EXPECT_EQ(failures, 0) << info.name;
  }
}

TEST(RegisteredPasses, SortedUniqueAndSummarized) {
  auto passes = RegisteredPasses();
  for (size_t i = 0; i < passes.size(); ++i) {
    EXPECT_FALSE(passes[i].summary.empty()) << passes[i].name;
    EXPECT_EQ(passes[i].create(PassOptions{})->name(), passes[i].name);
    if (i > 0) {
      EXPECT_LT(passes[i - 1].name, passes[i].name) << "keep the registry sorted";
    }
  }
}

}  // namespace
}  // namespace onnxkit
