// Elementwise kernels: math, activations, comparison and logic, Cast. Binary ops broadcast
// numpy-style; 16-bit floats compute in float.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"

namespace onnxkit::runtime::reference {
namespace {

template <typename T, typename Op>
Status Binary(KernelContext& context, Op op) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* a, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* b, context.requiredInput(1));
  if (a->dtype() != b->dtype())
    return Status::Error("inputs have different types {} and {}", DataTypeName(a->dtype()), DataTypeName(b->dtype()));
  ONNXKIT_ASSIGN_OR_RETURN(Shape shape, BroadcastShapes(a->shape(), b->shape()));
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, a->dtype(), shape));
  const T* x = a->data<T>();
  const T* y = b->data<T>();
  T* z = out->mutableData<T>();
  Shape inputs[] = {a->shape(), b->shape()};
  BroadcastWalker(shape, inputs).forEach([&](int64_t i, std::span<const int64_t> offsets) {
    z[i] = FromCompute<T>(op(ToCompute(x[offsets[0]]), ToCompute(y[offsets[1]])));
  });
  return Status::Ok();
}

Status Add(KernelContext& context) {
  return DispatchNumeric(context.input(0) ? context.input(0)->dtype() : DataType::kUndefined, "Add",
                         [&]<typename T>() { return Binary<T>(context, [](auto a, auto b) { return a + b; }); });
}

Status Relu(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  return DispatchNumeric(x->dtype(), "Relu", [&]<typename T>() -> Status {
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, x->dtype(), x->shape()));
    for (int64_t i = 0; i < x->elementCount(); ++i) {
      auto v = ToCompute(x->data<T>()[i]);
      y->mutableData<T>()[i] = FromCompute<T>(v > decltype(v)(0) ? v : decltype(v)(0));
    }
    return Status::Ok();
  });
}

const KernelRegistration kKernels[] = {
    {"", "Add", 7, kLatestOpset, Function<Add>()},
    {"", "Relu", 6, kLatestOpset, Function<Relu>()},
};

}  // namespace

std::span<const KernelRegistration> ElementwiseKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
