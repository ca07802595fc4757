// ONNX Runtime contrib quantized ops (domain com.microsoft) that onnx-quant's QOperator format
// writes where ONNX has no op: QLinearAdd, QLinearMul, QLinearConcat, QLinearAveragePool,
// QLinearGlobalAveragePool, QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax.
//
// Semantics as ONNX Runtime defines them: every quantized input is dequantized
// ((q - zero_point) * scale, per-tensor), the float op is computed by the reference kernel of the
// float op (Add, Mul, Concat, AveragePool, GlobalAveragePool, Sigmoid, LeakyRelu, Softmax with the
// node's attributes), and the result is requantized: saturate(round_half_even(y / y_scale) + y_zp)
// to the type of y_zero_point (uint8 when it is absent). Inputs:
//   QLinearAdd/Mul:  A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point
//   QLinearConcat:   Y_scale, Y_zero_point, then (X, X_scale, X_zero_point) per input
//   unary ops:       X, X_scale, X_zero_point, Y_scale, Y_zero_point
// QLinearSoftmax's `opset` attribute picks the Softmax semantics (axis coercion before 13);
// channels_last = 1 (NHWC pooling) is not supported.
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "ir/model.h"
#include "runtime/evaluate_node.h"
#include "runtime/kernels/reference/kernel_tables.h"

namespace onnxkit::runtime::reference {
namespace {

struct QuantizedInput {
  size_t data, scale, zero_point;
};

Result<double> ScalarOf(const Tensor* t, std::string_view what) {
  if (!t) return 0.0;
  if (t->elementCount() != 1)
    return Status::Error("{} must be a scalar (per-tensor quantization), got {} elements", what, t->elementCount());
  return t->elementAsDouble(0);
}

Result<Tensor> Dequantize(const Tensor& x, const Tensor& scale, const Tensor* zero_point) {
  if (x.dtype() != DataType::kUint8 && x.dtype() != DataType::kInt8)
    return Status::Error("quantized input must be uint8 or int8, got {}", DataTypeName(x.dtype()));
  if (zero_point && zero_point->dtype() != x.dtype()) return Status::Error("zero point type differs from its tensor's");
  ONNXKIT_ASSIGN_OR_RETURN(double s, ScalarOf(&scale, "scale"));
  ONNXKIT_ASSIGN_OR_RETURN(double z, ScalarOf(zero_point, "zero point"));
  ONNXKIT_ASSIGN_OR_RETURN(Tensor out, Tensor::Allocate(DataType::kFloat, x.shape()));
  float* o = out.mutableData<float>();
  float fs = static_cast<float>(s);
  for (int64_t i = 0; i < x.elementCount(); ++i)
    o[i] = static_cast<float>(x.elementAsInt64(i) - static_cast<int64_t>(z)) * fs;
  return out;
}

class QLinearKernel : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Node& node = info.node;
    const std::string& op = node.opType();
    std::string float_op;
    if (op == "QLinearAdd" || op == "QLinearMul") {
      float_op = op.substr(7);
      inputs_ = {{0, 1, 2}, {3, 4, 5}};
      output_ = {6, 7};
    } else if (op == "QLinearConcat") {
      float_op = "Concat";
      output_ = {0, 1};
      if (node.inputCount() < 5 || (node.inputCount() - 2) % 3 != 0)
        return Status::Error("QLinearConcat needs Y_scale, Y_zero_point and (X, X_scale, X_zero_point) triples");
      for (size_t i = 2; i + 2 < node.inputCount(); i += 3) inputs_.push_back({i, i + 1, i + 2});
    } else {
      float_op = op.substr(7);  // Sigmoid, LeakyRelu, GlobalAveragePool, AveragePool, Softmax
      inputs_ = {{0, 1, 2}};
      output_ = {3, 4};
    }
    if (node.getInt("channels_last", 0) != 0) return Status::Error("{}: channels_last = 1 is not supported", op);
    float_opset_ = op == "QLinearSoftmax" ? node.getInt("opset", 13) : 13;
    std::vector<Value*> values;
    for (size_t i = 0; i < inputs_.size(); ++i) values.push_back(scratch_.graph().addInput(fmt::format("x{}", i)));
    float_node_ = scratch_.graph().createNode(float_op, std::span<Value* const>(values), 1);
    for (const Attribute& attribute : node.attributes()) {
      if (attribute.name() == "channels_last" || attribute.name() == "opset") continue;
      float_node_->setAttribute(Attribute::FromProto(attribute.proto()));
    }
    return Status::Ok();
  }

  Status run(KernelContext& context) override {
    std::vector<Tensor> floats;
    for (const QuantizedInput& in : inputs_) {
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(in.data));
      ONNXKIT_ASSIGN_OR_RETURN(const Tensor* scale, context.requiredInput(in.scale));
      ONNXKIT_ASSIGN_OR_RETURN(Tensor f, Dequantize(*x, *scale, context.input(in.zero_point)));
      floats.push_back(std::move(f));
    }
    std::vector<const Tensor*> pointers;
    for (const Tensor& f : floats) pointers.push_back(&f);
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<Tensor> results, EvaluateNode(*float_node_, float_opset_, pointers));
    const Tensor& y = results.at(0);
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* y_scale_tensor, context.requiredInput(output_.first));
    const Tensor* y_zero_point = context.input(output_.second);
    ONNXKIT_ASSIGN_OR_RETURN(double y_scale, ScalarOf(y_scale_tensor, "y scale"));
    ONNXKIT_ASSIGN_OR_RETURN(double y_zp, ScalarOf(y_zero_point, "y zero point"));
    if (y_scale == 0) return Status::Error("y scale must not be zero");
    DataType type = y_zero_point ? y_zero_point->dtype() : DataType::kUint8;
    if (type != DataType::kUint8 && type != DataType::kInt8)
      return Status::Error("y zero point must be uint8 or int8, got {}", DataTypeName(type));
    double qmin = type == DataType::kUint8 ? 0 : -128, qmax = type == DataType::kUint8 ? 255 : 127;
    ONNXKIT_ASSIGN_OR_RETURN(Tensor * out, context.allocateOutput(0, type, y.shape()));
    const float* in = y.data<float>();
    float fs = static_cast<float>(y_scale);
    for (int64_t i = 0; i < y.elementCount(); ++i) {
      double q = std::nearbyint(static_cast<double>(in[i] / fs)) + y_zp;
      q = std::isnan(q) ? y_zp : std::min(std::max(q, qmin), qmax);
      if (type == DataType::kUint8) out->mutableData<uint8_t>()[i] = static_cast<uint8_t>(q);
      else out->mutableData<int8_t>()[i] = static_cast<int8_t>(q);
    }
    return Status::Ok();
  }

 private:
  std::vector<QuantizedInput> inputs_;
  std::pair<size_t, size_t> output_;
  Model scratch_;
  Node* float_node_ = nullptr;
  int64_t float_opset_ = 13;
};

const KernelRegistration kKernels[] = {
    {"com.microsoft", "QLinearAdd", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearAveragePool", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearConcat", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearGlobalAveragePool", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearLeakyRelu", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearMul", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearSigmoid", 1, kLatestOpset, CreateKernel<QLinearKernel>},
    {"com.microsoft", "QLinearSoftmax", 1, kLatestOpset, CreateKernel<QLinearKernel>},
};

}  // namespace

std::span<const KernelRegistration> ContribQLinearKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
