// Shape and data-movement kernels that every model needs: Identity, Constant.
#include "runtime/dispatch.h"
#include "runtime/kernels/reference/kernel_tables.h"
#include "runtime/shape_util.h"
#include "runtime/tensor_io.h"

namespace onnxkit::runtime::reference {
namespace {

Status Identity(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  context.setOutput(0, *x);  // shares storage: tensors are never written after they are produced
  return Status::Ok();
}

// Constant: the value is fixed at prepare time.
class Constant : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    if (const Attribute* value = node.attribute("value"); value && value->tensor()) {
      ONNXKIT_ASSIGN_OR_RETURN(value_, FromIrTensor(value->tensor()));
    } else if (const Attribute* f = node.attribute("value_float")) {
      value_ = Tensor::FromVector<float>(DataType::kFloat, {}, {f->f()});
    } else if (const Attribute* fs = node.attribute("value_floats")) {
      value_ = Tensor::FromVector<float>(DataType::kFloat, {static_cast<int64_t>(fs->floats().size())},
                                         std::vector<float>(fs->floats().begin(), fs->floats().end()));
    } else if (const Attribute* i = node.attribute("value_int")) {
      value_ = Tensor::FromVector<int64_t>(DataType::kInt64, {}, {i->i()});
    } else if (const Attribute* is = node.attribute("value_ints")) {
      value_ = Tensor::FromVector<int64_t>(DataType::kInt64, {static_cast<int64_t>(is->ints().size())},
                                           std::vector<int64_t>(is->ints().begin(), is->ints().end()));
    } else if (const Attribute* s = node.attribute("value_string")) {
      value_ = Tensor::Strings({}, {s->s()});
    } else if (const Attribute* ss = node.attribute("value_strings")) {
      value_ = Tensor::Strings({static_cast<int64_t>(ss->strings().size())},
                               std::vector<std::string>(ss->strings().begin(), ss->strings().end()));
    } else {
      return Status::Error("Constant has no supported value attribute (sparse_value is not supported)");
    }
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    context.setOutput(0, value_);
    return Status::Ok();
  }

 private:
  Tensor value_;
};

const KernelRegistration kKernels[] = {
    {"", "Constant", 1, kLatestOpset, CreateKernel<Constant>},
    {"", "Identity", 1, kLatestOpset, Function<Identity>()},
};

}  // namespace

std::span<const KernelRegistration> TensorBasicKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
