#include "passes/cleanup/eliminate_common_subexpressions.h"

#include <functional>
#include <set>
#include <unordered_map>

#include "ir/onnx_export.h"
#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPassName = "eliminate-common-subexpressions";

bool IsKnownPureDomain(const Node& node) { return node.isOnnxDomain() || node.domain() == "ai.onnx.ml"; }

bool IsRandom(const Node& node) {
  static const std::set<std::string, std::less<>> kRandom = {
      "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike", "Multinomial", "Bernoulli", "Dropout"};
  return node.isOnnxDomain() && kRandom.count(node.opType()) > 0;
}

// Conditions 1 and 2 for `node` and every node nested in its subgraphs.
bool IsDeterministic(const Node& node) {
  if (!IsKnownPureDomain(node) || IsRandom(node)) return false;
  bool deterministic = true;
  node.forEachSubgraph([&](Graph& subgraph) {
    for (const Node* inner : subgraph.nodes())
      if (deterministic && !IsDeterministic(*inner)) deterministic = false;
  });
  return deterministic;
}

std::string NormalizedDomain(const Node& node) { return node.isOnnxDomain() ? std::string() : node.domain(); }

size_t HashNode(const Node& node) {
  size_t hash = std::hash<std::string>()(node.opType());
  auto mix = [&](size_t value) { hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2); };
  mix(std::hash<std::string>()(NormalizedDomain(node)));
  for (const Value* input : node.inputs()) mix(std::hash<const Value*>()(input));
  mix(node.outputCount());
  mix(node.attributes().size());
  return hash;
}

bool SameTensorPointers(const TensorPtr& a, const TensorPtr& b) {
  if (!a || !b) return !a && !b;
  return cleanup::SameTensorContents(*a, *b);
}

std::string Serialized(const Graph& graph) {
  std::string bytes;
  ExportGraph(graph).SerializeToString(&bytes);
  return bytes;
}

bool SameAttribute(const Attribute& a, const Attribute& b) {
  if (a.proto().SerializeAsString() != b.proto().SerializeAsString()) return false;
  if (!SameTensorPointers(a.tensor(), b.tensor())) return false;
  if (a.tensors().size() != b.tensors().size()) return false;
  for (size_t i = 0; i < a.tensors().size(); ++i)
    if (!SameTensorPointers(a.tensors()[i], b.tensors()[i])) return false;
  if ((a.graph() == nullptr) != (b.graph() == nullptr)) return false;
  if (a.graph() && Serialized(*a.graph()) != Serialized(*b.graph())) return false;
  if (a.graphs().size() != b.graphs().size()) return false;
  for (size_t i = 0; i < a.graphs().size(); ++i)
    if (Serialized(*a.graphs()[i]) != Serialized(*b.graphs()[i])) return false;
  return true;
}

bool SameComputation(const Node& a, const Node& b) {
  if (a.opType() != b.opType() || NormalizedDomain(a) != NormalizedDomain(b)) return false;
  if (a.inputs() != b.inputs() || a.outputCount() != b.outputCount()) return false;
  for (size_t i = 0; i < a.outputCount(); ++i)
    if ((a.output(i) == nullptr) != (b.output(i) == nullptr)) return false;
  if (a.attributes().size() != b.attributes().size()) return false;
  for (const Attribute& attribute : a.attributes()) {
    const Attribute* other = b.attribute(attribute.name());
    if (!other || !SameAttribute(attribute, *other)) return false;
  }
  return true;
}

// Replaces the outputs of `duplicate` by those of `kept` and removes it; false when an output
// cannot be replaced (both are graph outputs).
bool Merge(Graph& graph, Node& duplicate, Node& kept) {
  for (size_t i = 0; i < duplicate.outputCount(); ++i) {
    Value* output = duplicate.output(i);
    if (output && !CanReplaceValue(output, kept.output(i))) return false;
  }
  for (size_t i = 0; i < duplicate.outputCount(); ++i) {
    Value* output = duplicate.output(i);
    if (!output) continue;
    if (output->isGraphOutput()) {
      ONNXKIT_CHECK(ReplaceValue(output, kept.output(i)), "{}: output replacement", kPassName);
    } else if (output->hasUses()) {
      graph.replaceAllUsesWith(output, kept.output(i));
    }
  }
  graph.removeNode(&duplicate);
  return true;
}

size_t EliminateInGraph(Graph& graph) {
  auto order = graph.topologicalOrder();
  if (!order.ok()) return 0;
  size_t merged = 0;
  std::unordered_map<size_t, std::vector<Node*>> seen;
  for (Node* node : *order) {
    if (node->outputCount() == 0 || !IsDeterministic(*node)) continue;
    std::vector<Node*>& candidates = seen[HashNode(*node)];
    bool removed = false;
    for (Node* candidate : candidates) {
      if (!SameComputation(*candidate, *node)) continue;
      if (Merge(graph, *node, *candidate)) {
        removed = true;
        ++merged;
      } else {
        Explain(kPassName, *node, fmt::format("it repeats {}, but both have graph outputs", candidate->describe()));
      }
      break;
    }
    if (!removed) candidates.push_back(node);
  }
  return merged;
}

}  // namespace

Result<size_t> EliminateCommonSubexpressions::run(Model& model) {
  size_t merged = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) { merged += EliminateInGraph(graph); });
  return merged;
}

}  // namespace onnxkit
