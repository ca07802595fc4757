// fuse-gelu: turns the decomposed erf and tanh GELU subgraphs into Gelu (opset >= 20).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseGelu : public Pass {
 public:
  std::string_view name() const override { return "fuse-gelu"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
