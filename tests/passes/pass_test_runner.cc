#include "tests/passes/pass_test_runner.h"

#include <gtest/gtest.h>

#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "tests/test_util.h"

namespace onnxkit::testing {

namespace {
Result<size_t> RunPasses(Model& model, const std::vector<std::string>& passes) {
  PassManagerOptions options;
  options.verify_each = true;
  PassManager manager(options);
  ONNXKIT_RETURN_IF_ERROR(manager.addGroup(passes));
  return manager.run(model);
}
}  // namespace

size_t CheckPassCase(const PassCase& pass_case) {
  auto model = ParseModel(pass_case.input);
  Status valid = VerifyModel(*model);
  EXPECT_TRUE(valid.ok()) << "input does not verify: " << valid.message();
  std::string before = Serialize(*model);

  auto rewrites = RunPasses(*model, pass_case.passes);
  EXPECT_TRUE(rewrites.ok()) << rewrites.message();
  if (!rewrites.ok()) return 0;
  std::string after = Serialize(*model);

  if (pass_case.expected.empty()) {
    EXPECT_EQ(*rewrites, 0u) << "expected no change, got:\n" << PrintModelText(*model);
  } else {
    auto expected = ParseModel(pass_case.expected);
    std::string diff = DiffModels(Serialize(*expected), after);
    EXPECT_EQ(diff, "") << "result:\n" << PrintModelText(*model);
  }
  if (*rewrites == 0) {
    EXPECT_EQ(before, after) << "a pass reporting no change modified the model";
  }

  auto again = RunPasses(*model, pass_case.passes);
  EXPECT_TRUE(again.ok() && *again == 0) << "a second run changed the model again";
  EXPECT_EQ(Serialize(*model), after);
  return *rewrites;
}

}  // namespace onnxkit::testing
