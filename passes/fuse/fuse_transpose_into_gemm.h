// fuse-transpose-into-gemm: folds a 2-D Transpose of a Gemm input into transA/transB.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseTransposeIntoGemm : public Pass {
 public:
  std::string_view name() const override { return "fuse-transpose-into-gemm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
