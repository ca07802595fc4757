// eliminate-noop-arithmetic: removes x+0, x-0, x*1, x/1 and x^1 where the constant changes neither shape nor type.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopArithmetic : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-arithmetic"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
