// fuse-consecutive-transposes: composes consecutive Transposes (and drops them when they cancel).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveTransposes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-transposes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
