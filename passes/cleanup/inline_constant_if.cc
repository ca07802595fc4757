#include "passes/cleanup/inline_constant_if.h"

#include <unordered_map>
#include <unordered_set>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPassName = "inline-constant-if";

// Copies the contents of graphs nested in a branch into new graphs, and the branch itself into the
// If's graph, mapping every value defined inside the branch (at any depth) to its copy.
class BranchCopier {
 public:
  BranchCopier(Model& model, Graph& branch, Graph& target, std::unordered_set<std::string> taken_names)
      : model_(model), branch_(branch), target_(target), taken_names_(std::move(taken_names)) {
    graphs_[&branch] = &target;
  }

  // Copies the branch's initializers, nodes (before `anchor`) and value_info into the target graph.
  void copyBranch(Node& anchor) {
    for (Value* value : branch_.initializers()) {
      Value* copy = newValue(*value, target_);
      target_.setInitializer(copy, value->initializer());
    }
    std::vector<Node*> nodes = branch_.nodes();
    std::vector<Node*> copies;
    for (Node* node : nodes) {
      Node* copy = copyNodeShell(*node, target_);
      target_.moveBefore(copy, &anchor);
      copies.push_back(copy);
    }
    for (size_t i = 0; i < nodes.size(); ++i) wireNode(*nodes[i], *copies[i]);
    for (Value* value : branch_.valueInfos()) {
      auto it = values_.find(value);
      if (it != values_.end()) target_.setInValueInfo(it->second, true);  // orphan entries are dropped
    }
    renameNodes(copies);
  }

  // The value standing for `value` in the target scope: its copy when it was defined in the
  // branch, the value itself when it belongs to an enclosing graph.
  Value* map(Value* value) {
    if (!value) return nullptr;
    auto it = values_.find(value);
    if (it != values_.end()) return it->second;
    if (!value->owner()->isWithin(branch_)) return value;
    // Referenced inside the branch but defined nowhere (an invalid model): an undefined copy, as
    // the importer makes, so the verifier still reports it.
    Graph* graph = graphs_.at(value->owner());
    Value* copy = graph->createValue(value->owner() == &branch_ ? nameFor(value->name()) : value->name());
    values_[value] = copy;
    return copy;
  }

 private:
  std::string nameFor(const std::string& name) {
    if (name.empty() || !taken_names_.count(name)) return name;
    return target_.freshName(name);
  }

  // A copy of `value` (name, type, doc_string) in `graph`; branch-level names may be renamed.
  Value* newValue(const Value& value, Graph& graph) {
    std::string name = &graph == &target_ ? nameFor(value.name()) : value.name();
    Value* copy = graph.createValue(name);
    *copy->mutableInfo() = value.info();
    copy->mutableInfo()->set_name(name);
    values_[&value] = copy;
    return copy;
  }

  Node* copyNodeShell(const Node& node, Graph& graph) {
    std::vector<std::string> names;
    for (const Value* output : node.outputs())
      names.push_back(output ? (&graph == &target_ ? nameFor(output->name()) : output->name()) : std::string());
    Node* copy = graph.createNodeWithOutputNames(node.opType(), names);
    *copy->mutableMetadata() = node.metadata();
    for (size_t i = 0; i < node.outputCount(); ++i) {
      const Value* output = node.output(i);
      if (!output) continue;
      Value* out = copy->output(i);
      std::string name = out->name();
      *out->mutableInfo() = output->info();
      out->mutableInfo()->set_name(name);
      values_[output] = out;
    }
    return copy;
  }

  void wireNode(const Node& node, Node& copy) {
    for (Value* input : node.inputs()) copy.addInput(map(input));
    for (const Attribute& attribute : node.attributes()) copy.setAttribute(copyAttribute(attribute, *copy.owner()));
  }

  Attribute copyAttribute(const Attribute& attribute, Graph& owner) {
    onnx::AttributeProto proto = attribute.proto();
    Attribute copy = Attribute::FromProto(std::move(proto));
    copy.setTensor(attribute.tensor());
    copy.mutableTensors() = attribute.tensors();
    if (attribute.graph()) copy.mutableGraph() = copyGraph(*attribute.graph(), owner);
    for (const auto& graph : attribute.graphs()) copy.mutableGraphs().push_back(copyGraph(*graph, owner));
    return copy;
  }

  // A faithful copy of a graph nested in the branch (names unchanged).
  std::unique_ptr<Graph> copyGraph(const Graph& source, Graph& parent) {
    auto graph = std::make_unique<Graph>(&model_, &parent);
    graphs_[&source] = graph.get();
    *graph->mutableMetadata() = source.metadata();
    for (Value* input : source.inputs()) {
      Value* copy = graph->addInput(input->name());
      *copy->mutableInfo() = input->info();
      values_[input] = copy;
    }
    for (Value* value : source.initializers()) {
      Value* copy = value->isGraphInput() ? values_.at(value) : newValue(*value, *graph);
      graph->setInitializer(copy, value->initializer());
    }
    for (Value* value : source.sparseInitializers()) {
      auto it = values_.find(value);
      Value* copy = it != values_.end() ? it->second : newValue(*value, *graph);
      graph->setSparseInitializer(copy, value->sparseInitializer());
    }
    std::vector<Node*> nodes = source.nodes();
    std::vector<Node*> copies;
    for (Node* node : nodes) copies.push_back(copyNodeShell(*node, *graph));
    for (size_t i = 0; i < nodes.size(); ++i) wireNode(*nodes[i], *copies[i]);
    for (size_t i = 0; i < source.outputs().size(); ++i)
      graph->addOutput(map(source.outputs()[i]), source.outputDeclaration(i));
    for (Value* value : source.valueInfos()) {
      Value* copy = values_.count(value) ? values_.at(value) : newValue(*value, *graph);
      graph->setInValueInfo(copy, true);
    }
    return graph;
  }

  // Node names of the copies that clash with node names of the target graph get a suffix.
  void renameNodes(const std::vector<Node*>& copies) {
    std::unordered_set<std::string> names;
    std::unordered_set<const Node*> copied(copies.begin(), copies.end());
    for (const Node* node : target_.nodes())
      if (!copied.count(node) && !node->name().empty()) names.insert(node->name());
    for (Node* copy : copies) {
      if (copy->name().empty()) continue;
      std::string name = copy->name();
      for (int suffix = 1; names.count(name); ++suffix) name = fmt::format("{}__{}", copy->name(), suffix);
      if (name != copy->name()) copy->setName(name);
      names.insert(name);
    }
  }

  Model& model_;
  Graph& branch_;
  Graph& target_;
  std::unordered_set<std::string> taken_names_;
  std::unordered_map<const Value*, Value*> values_;
  std::unordered_map<const Graph*, Graph*> graphs_;
};

// Names of every value of the model except those of the If's branches (which go away) and those
// defined directly in `branch` (which move).
std::unordered_set<std::string> NamesOutside(Model& model, const Node& if_node, const Graph& branch) {
  std::vector<const Graph*> branches;
  if_node.forEachSubgraph([&](Graph& g) { branches.push_back(&g); });
  std::unordered_set<std::string> names;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    if (&graph == &branch) return;
    bool inside_branch = false;
    for (const Graph* b : branches)
      if (graph.isWithin(*b)) inside_branch = true;
    if (inside_branch && !graph.isWithin(branch)) return;  // the branch not taken
    for (const Value* value : graph.values()) names.insert(value->name());
  });
  return names;
}

// Why the If cannot be inlined, or the branch it takes.
Graph* BranchTaken(const Node& node, const Model& model, std::string& why) {
  if (node.inputCount() != 1 || !node.input(0)) {
    why = "unexpected inputs";
    return nullptr;
  }
  TensorPtr condition = ConstantTensor(node.input(0));
  if (!condition) {
    why = "the condition is not a constant";
    return nullptr;
  }
  if (condition->dtype() != DataType::kBool || condition->elementCount() != 1) {
    why = "the condition is not one bool";
    return nullptr;
  }
  const char* name = condition->ElementAsInt64(0) != 0 ? "then_branch" : "else_branch";
  const Attribute* attribute = node.attribute(name);
  Graph* branch = attribute ? attribute->graph() : nullptr;
  if (!branch) {
    why = fmt::format("no {} graph", name);
    return nullptr;
  }
  if (!branch->inputs().empty() || branch->outputs().size() != node.outputCount()) {
    why = fmt::format("{} has inputs or another number of outputs", name);
    return nullptr;
  }
  if (!branch->sparseInitializers().empty()) {
    why = fmt::format("{} has sparse initializers", name);
    return nullptr;
  }
  if (model.irVersion() < 4 && !branch->initializers().empty()) {
    why = fmt::format("{} has initializers and the IR version is < 4", name);
    return nullptr;
  }
  return branch;
}

void Inline(Model& model, Graph& graph, Node& node, Graph& branch) {
  BranchCopier copier(model, branch, graph, NamesOutside(model, node, branch));
  copier.copyBranch(node);
  for (size_t i = 0; i < node.outputCount(); ++i) {
    Value* output = node.output(i);
    if (!output) continue;
    Value* result = copier.map(branch.outputs()[i]);
    // The If output is a graph output and the result cannot take its name: an Identity stands in.
    if (!CanReplaceValue(output, result)) {
      Node* identity = graph.createNode("Identity", {result}, 1, output->name(), &node);
      identity->mutableMetadata()->set_domain("");  // written as the parser and exporters write it
      result = identity->output(0);
    }
    ONNXKIT_CHECK(ReplaceValue(output, result), "{}: output replacement", kPassName);
  }
  graph.removeNode(&node);
}

}  // namespace

Result<size_t> InlineConstantIf::run(Model& model) {
  size_t inlined = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    // Inlining can bring more constant Ifs into this graph: scan until none is left.
    for (bool changed = true; changed;) {
      changed = false;
      for (Node* node : graph.nodes()) {
        if (!node->is("If")) continue;
        std::string why;
        Graph* branch = BranchTaken(*node, model, why);
        if (!branch) {
          Explain(kPassName, *node, why);
          continue;
        }
        Inline(model, graph, *node, *branch);
        ++inlined;
        changed = true;
      }
    }
  });
  return inlined;
}

}  // namespace onnxkit
