// The reference kernels, one table per source file. Each table lists its ops explicitly;
// runtime/kernel_registry.cc concatenates the tables.
#pragma once

#include <span>

#include "runtime/kernel.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> ElementwiseKernels();    // elementwise.cc: unary math, activations, Clip, Dropout
std::span<const KernelRegistration> BinaryElementwiseKernels();  // elementwise_binary.cc: Add, Pow, Equal, Max, Where, ...
std::span<const KernelRegistration> CastKernels();           // cast.cc: Cast, CastLike
std::span<const KernelRegistration> TensorBasicKernels();    // tensor_basic.cc: Identity, Constant
std::span<const KernelRegistration> TensorShapeKernels();    // tensor_shape.cc: Reshape, Transpose, Concat, Slice, ...
std::span<const KernelRegistration> TensorIndexKernels();    // tensor_index.cc: Gather, Scatter, TopK, OneHot, ...
std::span<const KernelRegistration> ResizeKernels();         // resize.cc: Resize, Upsample
std::span<const KernelRegistration> ConvolutionKernels();    // nn_conv.cc: Conv, ConvTranspose, pooling
std::span<const KernelRegistration> MatMulKernels();         // nn_matmul.cc: Gemm, MatMul, Einsum
std::span<const KernelRegistration> NormalizationKernels();  // nn_norm.cc: BatchNorm, LayerNorm, Softmax, ...
std::span<const KernelRegistration> ReductionKernels();      // nn_reduce.cc: Reduce*, ArgMax, ArgMin
std::span<const KernelRegistration> ControlFlowKernels();    // control_flow.cc: If, Loop, Scan
std::span<const KernelRegistration> RecurrentKernels();      // rnn.cc: LSTM, GRU, RNN
std::span<const KernelRegistration> QuantizationKernels();   // quantization.cc
std::span<const KernelRegistration> DetectionKernels();      // detection.cc: NonMaxSuppression, RoiAlign
// ONNX Runtime contrib ops (com.microsoft), which the fuse-ort passes emit.
std::span<const KernelRegistration> ContribFusedKernels();      // ../contrib/fused_ops.cc
std::span<const KernelRegistration> ContribAttentionKernels();  // ../contrib/attention.cc
std::span<const KernelRegistration> ContribQLinearKernels();    // ../contrib/qlinear_ops.cc

}  // namespace onnxkit::runtime::reference
