// eliminate-noop-expand: removes Expand that does not change the input's shape.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class EliminateNoopExpand : public Pass {
 public:
  std::string_view name() const override { return "eliminate-noop-expand"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
