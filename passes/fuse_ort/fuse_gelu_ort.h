// fuse-gelu-ort: turns GELU subgraphs into com.microsoft Gelu, BiasGelu or FastGelu (any opset).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseGeluOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-gelu-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
