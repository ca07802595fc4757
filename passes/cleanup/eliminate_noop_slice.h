// eliminate-noop-slice: removes Slice that keeps every element.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopSlice : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-slice"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
