// fuse-mish: turns x * Tanh(Softplus(x)) into Mish (opset >= 18).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMish : public Pass {
 public:
  std::string_view name() const override { return "fuse-mish"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
