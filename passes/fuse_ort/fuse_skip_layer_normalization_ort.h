// fuse-skip-layer-normalization-ort: fuses Add (+ bias) with LayerNormalization into com.microsoft.SkipLayerNormalization.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseSkipLayerNormalizationOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-skip-layer-normalization-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
