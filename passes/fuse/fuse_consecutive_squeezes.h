// fuse-consecutive-squeezes: merges consecutive Squeezes into one.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveSqueezes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-squeezes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
