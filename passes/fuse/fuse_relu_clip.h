// fuse-relu-clip: merges Relu and Clip into one Clip.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseReluClip : public Pass {
 public:
  std::string_view name() const override { return "fuse-relu-clip"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
