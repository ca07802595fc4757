// replace-div-by-constant: replaces division by a float constant with multiplication by its reciprocal.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class ReplaceDivByConstant : public Pass {
 public:
  std::string_view name() const override { return "replace-div-by-constant"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
