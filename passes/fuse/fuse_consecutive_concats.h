// fuse-consecutive-concats: flattens a Concat of Concats along the same axis.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseConsecutiveConcats : public Pass {
 public:
  std::string_view name() const override { return "fuse-consecutive-concats"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
