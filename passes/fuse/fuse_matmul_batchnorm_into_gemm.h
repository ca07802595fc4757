// fuse-matmul-batchnorm-into-gemm: turns 2-D MatMul with a constant weight followed by BatchNormalization into Gemm.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseMatmulBatchnormIntoGemm : public Pass {
 public:
  std::string_view name() const override { return "fuse-matmul-batchnorm-into-gemm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
