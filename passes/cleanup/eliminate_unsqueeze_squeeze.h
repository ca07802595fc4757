// eliminate-unsqueeze-squeeze: removes Unsqueeze/Squeeze pairs over the same axes.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateUnsqueezeSqueeze : public Pass {
 public:
  std::string_view name() const override { return "eliminate-unsqueeze-squeeze"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
