// fuse-matmul-add-into-gemm: turns 2-D MatMul followed by Add of a constant into Gemm.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMatmulAddIntoGemm : public Pass {
 public:
  std::string_view name() const override { return "fuse-matmul-add-into-gemm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
