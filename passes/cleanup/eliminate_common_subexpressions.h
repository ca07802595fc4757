// eliminate-common-subexpressions: merges nodes computing the same op on the same inputs with the same attributes.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateCommonSubexpressions : public Pass {
 public:
  std::string_view name() const override { return "eliminate-common-subexpressions"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
