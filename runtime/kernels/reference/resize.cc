// Resize and Upsample.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> ResizeKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
