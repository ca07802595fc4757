// fuse-layer-normalization: turns the decomposed LayerNorm subgraph into LayerNormalization (opset >= 17).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseLayerNormalization : public Pass {
 public:
  std::string_view name() const override { return "fuse-layer-normalization"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
