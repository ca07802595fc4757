#include "ir/model_statistics.h"

namespace onnxkit {

ModelStatistics ComputeStatistics(const Model& model) {
  ModelStatistics stats;
  ForEachGraph(const_cast<Graph&>(model.graph()), [&](Graph& graph) {
    for (const Node* node : graph.nodes()) {
      std::string key = node->isOnnxDomain() ? node->opType() : node->domain() + "." + node->opType();
      ++stats.nodes_per_op[key];
      ++stats.node_count;
    }
    for (const Value* value : graph.initializers()) {
      ++stats.initializer_count;
      stats.parameter_count += value->initializer()->elementCount();
      stats.initializer_bytes += static_cast<int64_t>(value->initializer()->byteSize());
    }
  });
  return stats;
}

}  // namespace onnxkit
