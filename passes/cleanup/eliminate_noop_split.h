// eliminate-noop-split: removes Split into a single output.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopSplit : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-split"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
