// The pass interface. A pass rewrites a model in place and reports how many rewrites it made;
// 0 means it left the model exactly as it was (byte-identical when saved). "Does not apply" is
// never an error: an error means the pass could not run on a model it should handle.
#pragma once

#include <cstddef>
#include <string_view>

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

class Pass {
 public:
  virtual ~Pass() = default;
  virtual std::string_view name() const = 0;
  // Returns the number of rewrites (nodes removed, fused, folded...), 0 when nothing changed.
  virtual Result<size_t> run(Model& model) = 0;
};

}  // namespace onnxkit
