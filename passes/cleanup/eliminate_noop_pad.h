// eliminate-noop-pad: removes Pad with all pads zero.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopPad : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-pad"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
