// fuse-consecutive-reshapes: replaces a chain of Reshapes by the last one.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveReshapes : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-reshapes"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
