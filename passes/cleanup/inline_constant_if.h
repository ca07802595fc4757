// inline-constant-if: replaces an If with a constant condition by the nodes of the branch taken.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class InlineConstantIf : public Pass {
 public:
  std::string_view name() const override { return "inline-constant-if"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
