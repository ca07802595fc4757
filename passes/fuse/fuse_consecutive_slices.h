// fuse-consecutive-slices: merges consecutive Slices over different axes into one.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveSlices : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-slices"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
