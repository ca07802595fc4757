// eliminate-noop-concat: removes Concat of a single input.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopConcat : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-concat"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
