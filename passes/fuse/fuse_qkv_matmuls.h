// fuse-qkv-matmuls: merges MatMuls of one input by several constant weights into one MatMul and a Split.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class FuseQkvMatmuls : public Pass {
 public:
  std::string_view name() const override { return "fuse-qkv-matmuls"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
