// constants-to-initializers: turns Constant nodes into initializers.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class ConstantsToInitializers : public Pass {
 public:
  std::string_view name() const override { return "constants-to-initializers"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
