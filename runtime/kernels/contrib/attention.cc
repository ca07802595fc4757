// ONNX Runtime contrib attention ops (domain com.microsoft): Attention, MultiHeadAttention.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> ContribAttentionKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
