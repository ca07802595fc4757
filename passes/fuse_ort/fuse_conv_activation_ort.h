// fuse-conv-activation-ort: fuses Conv (+ Add) with a following activation into com.microsoft.FusedConv.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvActivationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-activation-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
