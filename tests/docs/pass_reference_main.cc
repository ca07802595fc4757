// Prints docs/passes.md (see scripts/pass-reference.sh).
#include <iostream>

#include "tests/docs/pass_reference.h"
#include "tests/test_util.h"

int main() {
  std::cout << onnxkit::testing::PassReferenceMarkdown(onnxkit::testing::SourceDir());
  return 0;
}
