// eliminate-noop-transpose: removes Transpose with the identity permutation.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopTranspose : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-transpose"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
