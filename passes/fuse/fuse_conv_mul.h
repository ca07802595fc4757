// fuse-conv-mul: folds a Mul by a per-output-channel constant into the Conv's weights and bias.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvMul : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-mul"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
