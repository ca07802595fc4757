// fuse-hard-swish: turns x * HardSigmoid(x) (alpha 1/6, beta 1/2) into HardSwish (opset >= 14).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseHardSwish : public Pass {
 public:
  std::string_view name() const override { return "fuse-hard-swish"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
