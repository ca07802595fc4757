// eliminate-noop-flatten: removes Flatten of an input that is already that 2-D shape.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopFlatten : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-flatten"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
