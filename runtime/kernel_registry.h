// Looks kernels up by (domain, op type, opset version, input element type). The kernel tables
// themselves are explicit lists, one per family of ops, concatenated in kernel_registry.cc.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "runtime/kernel.h"

namespace onnxkit::runtime {

// Every registration, in priority order (specialized kernels before reference ones).
std::span<const KernelRegistration> AllKernels();

enum class KernelSet { kOptimized, kReferenceOnly };

// The registrations covering (domain, op_type, opset), in priority order; with kReferenceOnly,
// without the optimized kernels.
std::vector<const KernelRegistration*> FindKernels(std::string_view domain, std::string_view op_type, int64_t opset,
                                                   KernelSet set = KernelSet::kOptimized);

// The first candidate accepting `first_input_type`, or nullptr.
const KernelRegistration* SelectKernel(std::span<const KernelRegistration* const> candidates, DataType first_input_type);

// Creates the reference kernel of info.node: what an optimized kernel falls back to for a case it
// does not handle (an unusual rank, type or attribute).
Result<std::unique_ptr<Kernel>> CreateReferenceKernel(const KernelInfo& info);

}  // namespace onnxkit::runtime
