// fuse-convtranspose-batchnorm: folds an inference BatchNormalization into the preceding ConvTranspose.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvtransposeBatchnorm : public Pass {
 public:
  std::string_view name() const override { return "fuse-convtranspose-batchnorm"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
