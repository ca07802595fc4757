#include "ir/node.h"

#include <algorithm>
#include <unordered_set>

#include "ir/graph.h"

namespace onnxkit {

Node::~Node() = default;

void Node::setOpType(std::string op_type, std::string domain) {
  metadata_.set_op_type(std::move(op_type));
  metadata_.set_domain(std::move(domain));
}

std::string Node::describe() const {
  if (!name().empty()) return fmt::format("node '{}' ({})", name(), opType());
  for (const Value* output : outputs_)
    if (output) return fmt::format("node ({}) producing '{}'", opType(), output->name());
  return fmt::format("node ({})", opType());
}

void Node::setInput(size_t i, Value* value) {
  ONNXKIT_CHECK(i < inputs_.size(), "setInput: index {} out of range for {}", i, describe());
  if (inputs_[i]) inputs_[i]->removeUse(this, i);
  inputs_[i] = value;
  if (value) value->uses_.push_back(Use{this, i});
}

void Node::addInput(Value* value) {
  inputs_.push_back(value);
  if (value) value->uses_.push_back(Use{this, inputs_.size() - 1});
}

void Node::removeInput(size_t i) {
  ONNXKIT_CHECK(i < inputs_.size(), "removeInput: index {} out of range for {}", i, describe());
  // Later inputs shift down by one: re-register their uses with the new indices.
  for (size_t k = i; k < inputs_.size(); ++k)
    if (inputs_[k]) inputs_[k]->removeUse(this, k);
  inputs_.erase(inputs_.begin() + static_cast<std::ptrdiff_t>(i));
  for (size_t k = i; k < inputs_.size(); ++k)
    if (inputs_[k]) inputs_[k]->uses_.push_back(Use{this, k});
}

void Node::removeAllInputs() {
  for (size_t k = 0; k < inputs_.size(); ++k)
    if (inputs_[k]) inputs_[k]->removeUse(this, k);
  inputs_.clear();
}

const Attribute* Node::attribute(std::string_view name) const {
  for (const auto& attribute : attributes_)
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

void Node::setAttribute(Attribute attribute) {
  attribute.forEachSubgraph([&](Graph& graph) {
    graph.parent_ = owner_;
    graph.owner_node_ = this;
  });
  for (auto& existing : attributes_) {
    if (existing.name() == attribute.name()) {
      existing.forEachSubgraph([](Graph& graph) {
        for (Node* inner : graph.nodes()) graph.dropUses(*inner);
      });
      existing = std::move(attribute);
      return;
    }
  }
  attributes_.push_back(std::move(attribute));
}

bool Node::removeAttribute(std::string_view name) {
  auto it = std::find_if(attributes_.begin(), attributes_.end(),
                         [&](const Attribute& a) { return a.name() == name; });
  if (it == attributes_.end()) return false;
  it->forEachSubgraph([](Graph& graph) {
    for (Node* inner : graph.nodes()) graph.dropUses(*inner);
  });
  attributes_.erase(it);
  return true;
}

int64_t Node::getInt(std::string_view name, int64_t fallback) const {
  const Attribute* a = attribute(name);
  return a && a->type() == onnx::AttributeProto::INT ? a->i() : fallback;
}

float Node::getFloat(std::string_view name, float fallback) const {
  const Attribute* a = attribute(name);
  return a && a->type() == onnx::AttributeProto::FLOAT ? a->f() : fallback;
}

std::string Node::getString(std::string_view name, std::string fallback) const {
  const Attribute* a = attribute(name);
  return a && a->type() == onnx::AttributeProto::STRING ? a->s() : fallback;
}

std::optional<std::vector<int64_t>> Node::getInts(std::string_view name) const {
  const Attribute* a = attribute(name);
  if (!a || a->type() != onnx::AttributeProto::INTS) return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

std::optional<std::vector<float>> Node::getFloats(std::string_view name) const {
  const Attribute* a = attribute(name);
  if (!a || a->type() != onnx::AttributeProto::FLOATS) return std::nullopt;
  return std::vector<float>(a->floats().begin(), a->floats().end());
}

bool Node::hasSubgraphs() const {
  return std::any_of(attributes_.begin(), attributes_.end(),
                     [](const Attribute& a) { return a.hasSubgraphs(); });
}

void Node::forEachSubgraph(const std::function<void(Graph&)>& visit) const {
  for (const auto& attribute : attributes_) attribute.forEachSubgraph(visit);
}

void Node::collectOuterScopeInputs(const Graph& scope_root, std::vector<Value*>& out) const {
  forEachSubgraph([&](Graph& subgraph) {
    for (Value* output : subgraph.outputs())
      if (output && !output->owner()->isWithin(scope_root)) out.push_back(output);
    for (Node* inner : subgraph.nodes()) {
      for (Value* input : inner->inputs())
        if (input && !input->owner()->isWithin(scope_root)) out.push_back(input);
      inner->collectOuterScopeInputs(scope_root, out);
    }
  });
}

std::vector<Value*> Node::outerScopeInputs() const {
  std::vector<Value*> found;
  forEachSubgraph([&](Graph& subgraph) {
    // A subgraph may return a value of an enclosing graph as its output (an If branch passing an
    // outer value through): the node depends on that value as much as on its inner nodes' inputs.
    for (Value* output : subgraph.outputs())
      if (output && !output->owner()->isWithin(subgraph)) found.push_back(output);
    for (Node* inner : subgraph.nodes()) {
      for (Value* input : inner->inputs())
        if (input && !input->owner()->isWithin(subgraph)) found.push_back(input);
      inner->collectOuterScopeInputs(subgraph, found);
    }
  });
  // Deduplicate, keeping first-seen order for determinism.
  std::vector<Value*> unique;
  std::unordered_set<Value*> seen;
  for (Value* v : found)
    if (seen.insert(v).second) unique.push_back(v);
  return unique;
}

}  // namespace onnxkit
