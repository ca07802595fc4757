// fuse-pad-into-conv: folds a constant zero Pad into the pads of the following Conv or pooling.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FusePadIntoConv : public Pass {
 public:
  std::string_view name() const override { return "fuse-pad-into-conv"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
