// fuse-matmul-scale-ort: fuses MatMul with transposes of its inputs and scaling into com.microsoft.FusedMatMul.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMatmulScaleOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-matmul-scale-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
