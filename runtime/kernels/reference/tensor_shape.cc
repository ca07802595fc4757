// Shape-manipulation and data-movement kernels: Reshape, Transpose, Concat, Slice, ...
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> TensorShapeKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
