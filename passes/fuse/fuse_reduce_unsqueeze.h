// fuse-reduce-unsqueeze: turns a keepdims=0 reduction followed by Unsqueeze of the same axes into keepdims=1.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseReduceUnsqueeze : public Pass {
 public:
  std::string_view name() const override { return "fuse-reduce-unsqueeze"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
