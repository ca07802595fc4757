// fuse-log-softmax: turns Log(Softmax(x)) into LogSoftmax.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseLogSoftmax : public Pass {
 public:
  std::string_view name() const override { return "fuse-log-softmax"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
