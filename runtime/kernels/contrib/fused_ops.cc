// ONNX Runtime contrib ops (domain com.microsoft) emitted by the fuse-ort passes: FusedConv, FusedGemm, FusedMatMul, Gelu, BiasGelu, FastGelu, SkipLayerNormalization; and LayerNormalization below opset 17.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> ContribFusedKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
