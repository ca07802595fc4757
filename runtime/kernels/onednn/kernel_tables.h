// The optimized kernels on oneDNN (float32 convolution, matrix products, element-wise ops, Softmax). They are listed
// before the reference kernels, marked `optimized`, and fall back to the reference kernel for
// any case they do not handle; tests/runtime/onednn_kernels_test.cc checks them against it.
#pragma once

#include <span>

#include "runtime/kernel.h"

namespace onnxkit::runtime::onednn {

std::span<const KernelRegistration> ConvolutionKernels();  // conv.cc: Conv, FusedConv
std::span<const KernelRegistration> MatMulKernels();       // matmul.cc: MatMul, Gemm, FusedGemm
std::span<const KernelRegistration> ElementwiseKernels();  // elementwise.cc: Add, Mul, Relu, Sigmoid, Softmax, ...

}  // namespace onnxkit::runtime::onednn
