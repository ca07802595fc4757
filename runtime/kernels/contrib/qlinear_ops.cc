// ONNX Runtime contrib quantized ops (domain com.microsoft) that onnx-quant's QOperator format
// writes where ONNX has no op: QLinearAdd, QLinearMul, QLinearConcat, QLinearAveragePool,
// QLinearGlobalAveragePool, QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax.
#include "runtime/kernels/reference/kernel_tables.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> ContribQLinearKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
