#include "passes/fuse/fuse_matmul_batchnorm_into_gemm.h"

#include <cmath>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool Fuse(Graph& graph, Node& bn, Node& matmul, int64_t opset, std::string_view pass) {
  if (!IsInferenceBatchNorm(bn, opset)) {
    Explain(pass, bn, "not in inference form");
    return false;
  }
  Value* x = matmul.input(0);
  Value* weight_value = matmul.input(1);
  if (matmul.inputCount() != 2 || KnownRank(x) != 2) {
    Explain(pass, matmul, "its first input is not known to be 2-D");
    return false;
  }
  TensorPtr weight = ConstantTensor(weight_value);
  if (!weight || !UsedOnlyBy(weight_value, matmul) || !IsFloatOrDouble(*weight) || weight->rank() != 2) {
    Explain(pass, matmul, "its weight is not a 2-D float constant used only by it");
    return false;
  }
  int64_t features = weight->dims()[1];
  std::vector<std::vector<double>> params;  // scale, bias, mean, var
  for (size_t i = 1; i <= 4; ++i) {
    auto values = ReadDoubles(ConstantTensor(bn.input(i)), features);
    if (!values) {
      Explain(pass, bn, fmt::format("input {} is not a constant float vector of {} features", i, features));
      return false;
    }
    params.push_back(std::move(*values));
  }
  double epsilon = bn.getFloat("epsilon", 1e-5f);
  std::vector<double> factor(static_cast<size_t>(features)), bias(static_cast<size_t>(features));
  for (size_t n = 0; n < factor.size(); ++n) {
    factor[n] = params[0][n] / std::sqrt(params[3][n] + epsilon);
    bias[n] = params[1][n] - params[2][n] * factor[n];
  }
  TensorPtr new_weight =
      ScaleElements(*weight, [&](int64_t i) { return factor[static_cast<size_t>(i % features)]; });
  TensorPtr new_bias = MakeVector(weight->dtype(), bias);
  if (!AllFinite(*new_weight) || !AllFinite(*new_bias)) {
    Explain(pass, bn, "the folded weight or bias would not be finite");
    return false;
  }
  Value* product = matmul.output(0);
  if (!CanReplaceValue(bn.output(0), product)) {
    Explain(pass, bn, "its output cannot be replaced");
    return false;
  }
  matmul.setOpType("Gemm");
  matmul.setInput(1, graph.addInitializer(weight_value->name(), new_weight));
  matmul.addInput(graph.addInitializer(product->name() + "_bias", new_bias));
  ReplaceFusedValue(bn.output(0), product);
  graph.removeNode(&bn);
  return true;
}

}  // namespace

Result<size_t> FuseMatmulBatchnormIntoGemm::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  if (opset < 7) return size_t{0};
  static const NodePattern pattern =
      NodePattern("BatchNormalization")
          .as("bn")
          .withConstantInputs({1, 2, 3, 4})
          .withInput(0, NodePattern("MatMul").as("matmul").withOneUse().withConstantInputs({1}));
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("BatchNormalization")) continue;
      Match match = pattern.match(*node, model);
      if (!match) {
        Explain(name(), *node, match.reason());
        continue;
      }
      if (Fuse(graph, *match["bn"], *match["matmul"], opset, name())) ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
