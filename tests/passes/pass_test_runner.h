// Pass tests written as text: an input model, the passes to run, and the expected model, all in
// ONNX textual syntax. The runner checks
//  - the result field by field against the expected model;
//  - that the model verifies after every pass;
//  - that a second run changes nothing (fixed point), and that a pass reporting no change left
//    the model byte-identical;
//  - numerically: input and result run on the bundled runtime with the same seeded random inputs
//    (symbolic dims = 2) and agree — bit for bit for cleanups (tolerance unset), within the given
//    tolerance for fusions and folding.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ir/model.h"
#include "runtime/tensor_compare.h"

namespace onnxkit::testing {

struct PassCase {
  std::string input;
  std::vector<std::string> passes;
  std::string expected;  // empty: the model must come out unchanged
  // nullopt: outputs must be bit-identical; otherwise they must agree within this tolerance.
  std::optional<runtime::Tolerance> tolerance = std::nullopt;
  bool run_numerically = true;  // false for models the runtime cannot run (e.g. unknown domains)
  // Applied to the parsed input, for what the text syntax cannot write (inf, nan, subnormals).
  std::function<void(Model&)> edit_input = nullptr;
};

// Gives the float initializer `name` of the main graph these values (same dims).
void SetFloatInitializer(Model& model, std::string_view name, std::vector<float> values);

// Runs the case; reports failures through gtest. Returns the number of rewrites.
size_t CheckPassCase(const PassCase& pass_case);

// Same type, shape and bytes (strings compared as strings).
bool BitIdentical(const runtime::Tensor& a, const runtime::Tensor& b);

// Runs `original` and `optimized` on the same seeded random inputs and returns "" when the
// outputs agree (bit for bit when tolerance is unset), else what differs.
std::string CompareOnRuntime(const Model& original, const Model& optimized, std::optional<runtime::Tolerance> tolerance,
                             uint64_t seed = 0);

}  // namespace onnxkit::testing
