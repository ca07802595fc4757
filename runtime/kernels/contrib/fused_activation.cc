#include "runtime/kernels/contrib/fused_activation.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace onnxkit::runtime::reference {
namespace {

double Sigmoid(double v) { return v >= 0 ? 1.0 / (1.0 + std::exp(-v)) : std::exp(v) / (1.0 + std::exp(v)); }

}  // namespace

double Activation::operator()(double v) const {
  switch (kind) {
    case ActivationKind::kIdentity: return v;
    case ActivationKind::kRelu: return v < 0 ? 0.0 : v;
    case ActivationKind::kSigmoid: return Sigmoid(v);
    case ActivationKind::kTanh: return std::tanh(v);
    case ActivationKind::kSilu: return v * Sigmoid(v);
    case ActivationKind::kLeakyRelu: return v < 0 ? alpha * v : v;
    case ActivationKind::kClip: return v < alpha ? alpha : (v > beta ? beta : v);
    case ActivationKind::kHardSigmoid: return std::max(0.0, std::min(1.0, alpha * v + beta));
    case ActivationKind::kElu: return v < 0 ? alpha * std::expm1(v) : v;
    case ActivationKind::kSelu: return gamma * (v > 0 ? v : alpha * std::expm1(v));
    case ActivationKind::kCelu: return std::max(0.0, v) + std::min(0.0, alpha * std::expm1(v / alpha));
    case ActivationKind::kSoftplus: return v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v));
    case ActivationKind::kSoftsign: return v / (1.0 + std::fabs(v));
    case ActivationKind::kThresholdedRelu: return v > alpha ? v : 0.0;
    case ActivationKind::kScaledTanh: return alpha * std::tanh(beta * v);
    case ActivationKind::kParametricSoftplus: {
      double u = beta * v;
      return alpha * (u > 0 ? u + std::log1p(std::exp(-u)) : std::log1p(std::exp(u)));
    }
  }
  return v;
}

Result<Activation> ReadConvActivation(const Node& node) {
  Activation activation;
  if (!node.hasAttribute("activation")) return activation;
  std::string name = node.getString("activation", "");
  size_t count = 0;
  if (name == "Relu") activation.kind = ActivationKind::kRelu;
  else if (name == "Sigmoid") activation.kind = ActivationKind::kSigmoid;
  else if (name == "Tanh") activation.kind = ActivationKind::kTanh;
  else if (name == "Silu") activation.kind = ActivationKind::kSilu;
  else if (name == "LeakyRelu") activation.kind = ActivationKind::kLeakyRelu, count = 1;
  else if (name == "Clip") activation.kind = ActivationKind::kClip, count = 2;
  else if (name == "HardSigmoid") activation.kind = ActivationKind::kHardSigmoid, count = 2;
  else return Status::Error("unsupported activation '{}'", name);
  if (count == 0) return activation;
  std::vector<float> params = node.getFloats("activation_params").value_or(std::vector<float>{});
  if (params.size() != count)
    return Status::Error("activation {} needs {} activation_params, got {}", name, count, params.size());
  activation.alpha = params[0];
  activation.beta = count > 1 ? params[1] : 0.0;
  return activation;
}

Result<Activation> ReadGemmActivation(const Node& node) {
  Activation activation;
  std::string name = node.getString("activation", "");
  std::vector<std::string_view> params;
  if (name == "Relu") activation.kind = ActivationKind::kRelu;
  else if (name == "Sigmoid") activation.kind = ActivationKind::kSigmoid;
  else if (name == "Tanh") activation.kind = ActivationKind::kTanh;
  else if (name == "Softsign") activation.kind = ActivationKind::kSoftsign;
  else if (name == "Softplus") activation.kind = ActivationKind::kSoftplus;
  else if (name == "LeakyRelu") activation.kind = ActivationKind::kLeakyRelu, params = {"alpha"};
  else if (name == "Elu") activation.kind = ActivationKind::kElu, params = {"alpha"};
  else if (name == "Celu") activation.kind = ActivationKind::kCelu, params = {"alpha"};
  else if (name == "ThresholdedRelu") activation.kind = ActivationKind::kThresholdedRelu, params = {"alpha"};
  else if (name == "HardSigmoid") activation.kind = ActivationKind::kHardSigmoid, params = {"alpha", "beta"};
  else if (name == "ScaledTanh") activation.kind = ActivationKind::kScaledTanh, params = {"alpha", "beta"};
  else if (name == "ParametricSoftplus") activation.kind = ActivationKind::kParametricSoftplus, params = {"alpha", "beta"};
  else if (name == "Selu") activation.kind = ActivationKind::kSelu, params = {"alpha", "gamma"};
  else return Status::Error("unsupported activation '{}'", name);
  for (std::string_view param : params) {
    std::string attribute = "activation_" + std::string(param);
    const Attribute* a = node.attribute(attribute);
    if (!a || a->type() != onnx::AttributeProto::FLOAT)
      return Status::Error("activation {} needs the float attribute {}", name, attribute);
    double value = a->f();
    if (param == "alpha") activation.alpha = value;
    else if (param == "beta") activation.beta = value;
    else activation.gamma = value;
  }
  if (activation.kind == ActivationKind::kCelu && activation.alpha == 0)
    return Status::Error("activation Celu needs a non-zero activation_alpha");
  return activation;
}

}  // namespace onnxkit::runtime::reference
