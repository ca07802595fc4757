// fuse-hard-sigmoid: turns Clip(x + 3, 0, 6) / 6 style subgraphs into HardSigmoid.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseHardSigmoid : public Pass {
 public:
  std::string_view name() const override { return "fuse-hard-sigmoid"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
