#include <gtest/gtest.h>

#include "passes/registry.h"
#include "tests/docs/pass_reference.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

TEST(PassReference, DocsListEveryRegisteredPassAsTheCodeHasIt) {
  std::string generated = PassReferenceMarkdown(SourceDir());
  for (const PassInfo& info : RegisteredPasses()) {
    EXPECT_NE(generated.find(fmt::format("## {}\n", info.name)), std::string::npos) << info.name;
  }
  EXPECT_EQ(generated.find("(no header comment)"), std::string::npos) << "every pass header starts with a comment";
  EXPECT_EQ(ReadFile(SourceDir() / "docs" / "passes.md"), generated)
      << "docs/passes.md is out of date: run scripts/pass-reference.sh";
}

}  // namespace
}  // namespace onnxkit::testing
