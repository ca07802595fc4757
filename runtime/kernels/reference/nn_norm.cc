// Normalization and softmax kernels.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> NormalizationKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
