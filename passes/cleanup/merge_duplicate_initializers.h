// merge-duplicate-initializers: merges initializers with identical type, shape and contents.
//
// (not written yet: Before/After in ONNX textual syntax, numbered conditions, algebra)
#pragma once

#include "passes/pass.h"

namespace onnxkit {

class MergeDuplicateInitializers : public Pass {
 public:
  std::string_view name() const override { return "merge-duplicate-initializers"; }
  Result<size_t> run(Model& model) override;
};

}  // namespace onnxkit
