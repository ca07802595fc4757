// fuse-layer-normalization-ort: turns the decomposed LayerNorm subgraph into LayerNormalization at opsets < 17 (ONNX Runtime's contrib op).
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseLayerNormalizationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-layer-normalization-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
