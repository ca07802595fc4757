// fuse-gemm-activation-ort: fuses Gemm with a following activation into com.microsoft.FusedGemm.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseGemmActivationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-gemm-activation-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
