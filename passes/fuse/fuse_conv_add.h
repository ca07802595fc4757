// fuse-conv-add: folds an Add of a per-output-channel constant into the Conv's bias.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConvAdd : public Pass {
 public:
  std::string_view name() const override { return "fuse-conv-add"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
