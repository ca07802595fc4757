// Pass tests written as text: an input model, the passes to run, and the expected model, all in
// ONNX textual syntax. The runner checks the result field by field, that the model verifies after
// every pass, that a second run changes nothing (fixed point), and that a pass reporting no
// change left the model byte-identical.
#pragma once

#include <string>
#include <vector>

namespace onnxkit::testing {

struct PassCase {
  std::string input;
  std::vector<std::string> passes;
  std::string expected;  // empty: the model must come out unchanged
};

// Runs the case; reports failures through gtest. Returns the number of rewrites.
size_t CheckPassCase(const PassCase& pass_case);

}  // namespace onnxkit::testing
