#include "runtime/kernel.h"

namespace onnxkit::runtime {

Result<const Tensor*> KernelContext::requiredInput(size_t i) const {
  const Tensor* tensor = input(i);
  if (!tensor) return Status::Error("required input {} is missing", i);
  return tensor;
}

}  // namespace onnxkit::runtime
