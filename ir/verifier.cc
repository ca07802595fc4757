#include "ir/verifier.h"

#include <onnx/defs/schema.h>

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace onnxkit {
namespace {

std::string DescribeDefinition(const Value& value) {
  if (value.producer()) return value.producer()->describe();
  if (value.isGraphInput()) return "a graph input";
  if (value.isInitializer()) return "an initializer";
  if (value.isSparseInitializer()) return "a sparse initializer";
  return "nothing";
}

class Verifier {
 public:
  explicit Verifier(const Model& model) : model_(model) {}

  Status verifyGraph(const Graph& graph);

 private:
  Status verifyDefinitions(const Graph& graph);
  Status verifyNode(const Graph& graph, const Node& node);
  Status verifyAttributeTypes(const Graph& graph, const Node& node);
  Status verifyUse(const Graph& graph, const Value& value, const std::string& user);

  const Model& model_;
  // Names defined by each graph visited so far on the current path from the main graph.
  std::vector<std::unordered_map<std::string, const Value*>> scopes_;
};

Status Verifier::verifyDefinitions(const Graph& graph) {
  auto& scope = scopes_.back();
  for (const Value* value : graph.values()) {
    if (!value->isDefined()) continue;
    if (value->name().empty())
      return Status::Error("{}: a value defined by {} has an empty name", DescribeGraph(graph), DescribeDefinition(*value));
    for (size_t level = 0; level + 1 < scopes_.size(); ++level) {
      auto outer = scopes_[level].find(value->name());
      if (outer != scopes_[level].end())
        return Status::Error("{}: value '{}' defined by {} redefines a value of an enclosing graph (defined by {})",
                             DescribeGraph(graph), value->name(), DescribeDefinition(*value),
                             DescribeDefinition(*outer->second));
    }
    auto [it, inserted] = scope.emplace(value->name(), value);
    if (!inserted)
      return Status::Error("{}: value '{}' is defined twice: by {} and by {}", DescribeGraph(graph), value->name(),
                           DescribeDefinition(*it->second), DescribeDefinition(*value));
  }
  return Status::Ok();
}

Status Verifier::verifyUse(const Graph& graph, const Value& value, const std::string& user) {
  if (!value.isDefined())
    return Status::Error("{}: {} uses '{}', which is not defined", DescribeGraph(graph), user, value.name());
  if (!graph.isWithin(*value.owner()))
    return Status::Error("{}: {} uses '{}', which is defined {} and not visible here", DescribeGraph(graph), user,
                         value.name(), DescribeGraph(*value.owner()));
  return Status::Ok();
}

// Attributes the node's schema declares must have the declared type (a float `axis` would
// otherwise be read as absent, silently). Attributes the schema does not know are carried
// through (other tools' extensions); ops without a known schema are not checked.
Status Verifier::verifyAttributeTypes(const Graph& graph, const Node& node) {
  std::optional<int64_t> version = model_.opsetVersion(node.domain());
  if (!version) return Status::Ok();
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(node.opType(), static_cast<int>(*version), node.domain());
  if (!schema) return Status::Ok();
  for (const Attribute& attribute : node.attributes()) {
    auto declared = schema->attributes().find(attribute.name());
    if (declared == schema->attributes().end()) continue;
    auto expected = static_cast<onnx::AttributeProto::AttributeType>(declared->second.type);
    if (attribute.type() != expected)
      return Status::Error("{}: {} has attribute '{}' of type {}, but {} takes {}", DescribeGraph(graph), node.describe(),
                           attribute.name(), onnx::AttributeProto::AttributeType_Name(attribute.type()), node.opType(),
                           onnx::AttributeProto::AttributeType_Name(expected));
  }
  return Status::Ok();
}

Status Verifier::verifyNode(const Graph& graph, const Node& node) {
  if (node.opType().empty()) return Status::Error("{}: a node has no op_type", DescribeGraph(graph));
  if (!model_.opsetVersion(node.domain()))
    return Status::Error("{}: {} uses domain '{}', which the model does not import (opset_import)",
                         DescribeGraph(graph), node.describe(), node.domain().empty() ? "ai.onnx" : node.domain());
  for (size_t i = 0; i < node.inputCount(); ++i) {
    const Value* input = node.input(i);
    if (!input) continue;
    ONNXKIT_RETURN_IF_ERROR(verifyUse(graph, *input, fmt::format("{} input {}", node.describe(), i)));
    const auto& uses = input->uses();
    ONNXKIT_CHECK(std::find(uses.begin(), uses.end(), Use{const_cast<Node*>(&node), i}) != uses.end(),
                  "use list of '{}' misses {} input {}", input->name(), node.describe(), i);
  }
  for (size_t i = 0; i < node.outputCount(); ++i) {
    const Value* output = node.output(i);
    if (!output) continue;
    ONNXKIT_CHECK(output->producer() == &node && output->producerOutputIndex() == i && output->owner() == &graph,
                  "output {} '{}' of {} has an inconsistent producer", i, output->name(), node.describe());
  }
  ONNXKIT_RETURN_IF_ERROR(verifyAttributeTypes(graph, node));
  Status status;
  node.forEachSubgraph([&](Graph& subgraph) {
    if (status.ok()) status = verifyGraph(subgraph);
  });
  return status;
}

Status Verifier::verifyGraph(const Graph& graph) {
  scopes_.emplace_back();
  ONNXKIT_RETURN_IF_ERROR(verifyDefinitions(graph));
  for (const Value* value : graph.values()) {
    for (const Use& use : value->uses())
      ONNXKIT_CHECK(use.user->input(use.input_index) == value, "stale use of '{}' by {}", value->name(),
                    use.user->describe());
  }
  for (const Node* node : graph.nodes()) ONNXKIT_RETURN_IF_ERROR(verifyNode(graph, *node));
  for (size_t i = 0; i < graph.outputs().size(); ++i) {
    const Value* output = graph.outputs()[i];
    if (output->name().empty())
      return Status::Error("{}: graph output {} has an empty name", DescribeGraph(graph), i);
    ONNXKIT_RETURN_IF_ERROR(verifyUse(graph, *output, fmt::format("graph output {}", i)));
  }
  auto order = graph.topologicalOrder();
  if (!order.ok()) return Status::Error("{}: {}", DescribeGraph(graph), order.message());
  scopes_.pop_back();
  return Status::Ok();
}

}  // namespace

std::string DescribeGraph(const Graph& graph) {
  if (!graph.ownerNode()) return "in the main graph";
  const Node& owner = *graph.ownerNode();
  std::string attribute_name = "?";
  for (const Attribute& attribute : owner.attributes()) {
    attribute.forEachSubgraph([&](const Graph& g) {
      if (&g == &graph) attribute_name = attribute.name();
    });
  }
  std::string where = fmt::format("in attribute '{}' of {}", attribute_name, owner.describe());
  if (owner.owner() && owner.owner()->ownerNode()) where += ", " + DescribeGraph(*owner.owner());
  return where;
}

Status VerifyModel(const Model& model) {
  Verifier verifier(model);
  return verifier.verifyGraph(model.graph());
}

}  // namespace onnxkit
