// eliminate-noop-reshape: removes Reshape to the shape the input already has.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopReshape : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-reshape"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
