#include "tools/onnx-quant/accuracy_fallback.h"

#include <fmt/format.h>

#include <unordered_set>


namespace onnxkit::tools {
namespace {

void NameUnnamedNodes(Model& model) {
  std::unordered_set<std::string> taken;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (const Node* node : graph.nodes())
      if (!node->name().empty()) taken.insert(node->name());
  });
  size_t counter = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->name().empty()) continue;
      std::string name;
      do name = fmt::format("{}_{}", node->opType(), counter++);
      while (taken.count(name));
      taken.insert(name);
      node->setName(name);
    }
  });
}

Result<std::unique_ptr<Model>> MakeNamed(const ModelFactory& make_model) {
  ONNXKIT_ASSIGN_OR_RETURN(auto model, make_model());
  NameUnnamedNodes(*model);
  return model;
}

// The nodes of the original graph that produce or read `tensor` (main graph and subgraphs).
std::vector<std::string> NodesAround(const Model& original, const std::string& tensor) {
  std::vector<std::string> nodes;
  ForEachGraph(const_cast<Graph&>(original.graph()), [&](Graph& graph) {
    for (const Node* node : graph.nodes()) {
      bool touches = false;
      for (const Value* v : node->inputs()) touches = touches || (v && v->name() == tensor);
      for (const Value* v : node->outputs()) touches = touches || (v && v->name() == tensor);
      if (touches) nodes.push_back(node->name());
    }
  });
  return nodes;
}

}  // namespace

Result<QuantizedModel> QuantizeWithFallback(const ModelFactory& make_model, const QuantizeFunction& quantize,
                                            const SampleSource& samples, std::optional<double> max_drop) {
  ONNXKIT_ASSIGN_OR_RETURN(auto original, MakeNamed(make_model));
  std::set<std::string> fallback_nodes;
  FallbackResult fallback;
  for (size_t round = 0;; ++round) {
    ONNXKIT_ASSIGN_OR_RETURN(auto quantized, MakeNamed(make_model));
    ONNXKIT_RETURN_IF_ERROR(quantize(*quantized, fallback_nodes));
    ONNXKIT_ASSIGN_OR_RETURN(auto report, CompareQuantized(*original, *quantized, samples));
    if (!fallback.steps.empty()) fallback.steps.back().drop_after = report.drop();
    bool done = !max_drop || report.drop() <= *max_drop || round > original->graph().nodeCount();
    const TensorNoise* worst = nullptr;
    std::vector<std::string> nodes;
    for (const auto& tensor : report.tensors) {  // worst first
      if (done) break;
      for (const auto& node : NodesAround(*original, tensor.name))
        if (!fallback_nodes.count(node)) nodes.push_back(node);
      if (!nodes.empty()) {
        worst = &tensor;
        break;
      }
    }
    if (!worst) return QuantizedModel{std::move(quantized), std::move(report), std::move(fallback)};
    fallback_nodes.insert(nodes.begin(), nodes.end());
    fallback.steps.push_back({worst->name, worst->sqnr_db, nodes, 0});
  }
}

}  // namespace onnxkit::tools
