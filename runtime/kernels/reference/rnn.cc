// Recurrent kernels: LSTM, GRU, RNN.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {

std::span<const KernelRegistration> RecurrentKernels() { return {}; }

}  // namespace onnxkit::runtime::reference
