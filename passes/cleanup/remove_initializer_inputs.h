// remove-initializer-inputs: stops listing initializers as graph inputs (IR version >= 4), so they are constants.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class RemoveInitializerInputs : public Pass {
 public:
  std::string_view name() const override { return "remove-initializer-inputs"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
