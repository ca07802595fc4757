// fuse-attention-ort: fuses BERT/GPT self-attention subgraphs into com.microsoft.Attention / MultiHeadAttention.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseAttentionOrt : public Pass {
 public:
  std::string_view name() const override { return "fuse-attention-ort"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
