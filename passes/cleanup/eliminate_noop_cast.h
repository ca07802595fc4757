// eliminate-noop-cast: removes Cast to the type the input already has.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopCast : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-cast"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
