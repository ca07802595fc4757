// Shared by the converters: changing graph output declarations, which the IR keeps with the
// output positions (Graph::outputDeclaration) and offers no setter for.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include "ir/graph.h"

namespace onnxkit::convert {

// Calls `edit` on a copy of every output declaration (with its position), then re-adds the
// outputs in their order with the edited declarations.
inline void EditOutputDeclarations(Graph& graph, const std::function<void(size_t, onnx::ValueInfoProto&)>& edit) {
  std::vector<std::pair<Value*, onnx::ValueInfoProto>> outputs;
  for (size_t i = 0; i < graph.outputs().size(); ++i) outputs.emplace_back(graph.outputs()[i], graph.outputDeclaration(i));
  for (size_t i = 0; i < outputs.size(); ++i) edit(i, outputs[i].second);
  while (!graph.outputs().empty()) graph.removeOutput(graph.outputs().size() - 1);
  for (auto& [value, declaration] : outputs) graph.addOutput(value, std::move(declaration));
}

}  // namespace onnxkit::convert
