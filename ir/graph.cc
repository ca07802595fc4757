#include "ir/graph.h"

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "ir/model.h"

namespace onnxkit {

Graph::Graph(Model* model, Graph* parent) : model_(model), parent_(parent) {}

Graph::~Graph() {
  // Enclosing graphs outlive this one: release the uses of their values, and their values this
  // graph returns as outputs (a branch passing an outer value through). Uses of this graph's own
  // values die with them. Nodes go before values, since nested subgraphs release uses of ours.
  for (auto& node : nodes_)
    for (size_t i = 0; i < node->inputs_.size(); ++i)
      if (node->inputs_[i] && node->inputs_[i]->owner_ != this) node->inputs_[i]->removeUse(node.get(), i);
  for (Value* output : outputs_)
    if (output && output->owner_ != this) --output->graph_output_count_;
  nodes_.clear();
}

bool Graph::isWithin(const Graph& other) const {
  for (const Graph* g = this; g; g = g->parent_)
    if (g == &other) return true;
  return false;
}

int Graph::depth() const {
  int depth = 0;
  for (const Graph* g = parent_; g; g = g->parent_) ++depth;
  return depth;
}

// ----- Values -----

Value* Graph::createValue(std::string name) {
  auto value = std::unique_ptr<Value>(new Value());
  model_->names().add(name);
  value->info_.set_name(std::move(name));
  value->owner_ = this;
  Value* raw = value.get();
  values_.push_back(std::move(value));
  raw->position_ = std::prev(values_.end());
  return raw;
}

Value* Graph::addInput(std::string name) {
  Value* value = createValue(std::move(name));
  value->is_graph_input_ = true;
  inputs_.push_back(value);
  return value;
}

void Graph::removeInput(size_t index) {
  ONNXKIT_CHECK(index < inputs_.size(), "removeInput: bad index {}", index);
  Value* value = inputs_[index];
  inputs_.erase(inputs_.begin() + static_cast<std::ptrdiff_t>(index));
  value->is_graph_input_ = false;
  if (value->initializer_) setInitializer(value, value->initializer_);  // a constant's type is its tensor's
}

void Graph::addOutput(Value* value) { addOutput(value, value->info()); }

void Graph::addOutput(Value* value, onnx::ValueInfoProto declaration) {
  ONNXKIT_CHECK(value, "addOutput: null value");
  outputs_.push_back(value);
  output_declarations_.push_back(std::move(declaration));
  ++value->graph_output_count_;
}

void Graph::setOutput(size_t index, Value* value) {
  ONNXKIT_CHECK(index < outputs_.size() && value, "setOutput: bad index {} or null value", index);
  --outputs_[index]->graph_output_count_;
  outputs_[index] = value;
  ++value->graph_output_count_;
}

void Graph::removeOutput(size_t index) {
  ONNXKIT_CHECK(index < outputs_.size(), "removeOutput: bad index {}", index);
  --outputs_[index]->graph_output_count_;
  outputs_.erase(outputs_.begin() + static_cast<std::ptrdiff_t>(index));
  output_declarations_.erase(output_declarations_.begin() + static_cast<std::ptrdiff_t>(index));
}

namespace {
template <typename Key>
std::vector<Value*> ListedValues(const std::list<std::unique_ptr<Value>>& values, Key key) {
  std::vector<Value*> listed;
  for (const auto& value : values)
    if (key(*value) >= 0) listed.push_back(value.get());
  std::stable_sort(listed.begin(), listed.end(),
                   [&](const Value* a, const Value* b) { return key(*a) < key(*b); });
  return listed;
}
}  // namespace

std::vector<Value*> Graph::initializers() const {
  return ListedValues(values_, [](const Value& v) { return v.initializer_ ? v.initializer_order_ : -1; });
}

std::vector<Value*> Graph::sparseInitializers() const {
  return ListedValues(values_, [](const Value& v) {
    return v.sparse_initializer_ ? v.sparse_initializer_order_ : -1;
  });
}

std::vector<Value*> Graph::valueInfos() const {
  return ListedValues(values_, [](const Value& v) { return v.value_info_order_; });
}

Value* Graph::addInitializer(std::string_view name_hint, TensorPtr tensor) {
  Value* value = createValue(freshName(name_hint));
  setInitializer(value, std::move(tensor));
  return value;
}

void Graph::setInitializer(Value* value, TensorPtr tensor) {
  ONNXKIT_CHECK(value->owner_ == this, "setInitializer: '{}' belongs to another graph", value->name());
  if (tensor && value->initializer_order_ < 0) value->initializer_order_ = next_order_++;
  if (!tensor) value->initializer_order_ = -1;
  // A constant's type is its tensor's (a graph input keeps its declared type).
  if (tensor && !value->is_graph_input_) {
    auto* tensor_type = value->info_.mutable_type()->mutable_tensor_type();
    tensor_type->set_elem_type(static_cast<int32_t>(tensor->dtype()));
    auto* shape = tensor_type->mutable_shape();
    shape->clear_dim();
    for (int64_t dim : tensor->dims()) shape->add_dim()->set_dim_value(dim);
  }
  value->initializer_ = std::move(tensor);
}

void Graph::setSparseInitializer(Value* value, std::shared_ptr<const onnx::SparseTensorProto> tensor) {
  if (tensor && value->sparse_initializer_order_ < 0) value->sparse_initializer_order_ = next_order_++;
  if (!tensor) value->sparse_initializer_order_ = -1;
  value->sparse_initializer_ = std::move(tensor);
}

void Graph::setInValueInfo(Value* value, bool listed) {
  if (listed && value->value_info_order_ < 0) value->value_info_order_ = next_order_++;
  if (!listed) value->value_info_order_ = -1;
}

std::vector<Value*> Graph::values() const {
  std::vector<Value*> all;
  all.reserve(values_.size());
  for (const auto& value : values_) all.push_back(value.get());
  return all;
}

void Graph::eraseValue(Value* value) {
  ONNXKIT_CHECK(value->owner_ == this, "eraseValue: '{}' belongs to another graph", value->name());
  ONNXKIT_CHECK(!value->producer_ && value->uses_.empty() && !value->is_graph_input_ &&
                    value->graph_output_count_ == 0,
                "eraseValue: '{}' is still defined or used", value->name());
  values_.erase(value->position_);
}

// ----- Nodes -----

std::vector<Node*> Graph::nodes() const {
  std::vector<Node*> all;
  all.reserve(nodes_.size());
  for (const auto& node : nodes_) all.push_back(node.get());
  return all;
}

Node* Graph::createNodeWithOutputNames(std::string op_type, std::span<const std::string> output_names) {
  auto node = std::unique_ptr<Node>(new Node());
  node->owner_ = this;
  node->metadata_.set_op_type(std::move(op_type));
  node->metadata_.set_domain("");  // present and empty, as the textual syntax and most exporters write it
  for (const auto& name : output_names) {
    if (name.empty()) {
      node->outputs_.push_back(nullptr);
      continue;
    }
    Value* value = createValue(name);
    value->producer_ = node.get();
    value->producer_output_index_ = node->outputs_.size();
    node->outputs_.push_back(value);
  }
  Node* raw = node.get();
  nodes_.push_back(std::move(node));
  raw->position_ = std::prev(nodes_.end());
  return raw;
}

Node* Graph::createNode(std::string op_type, std::span<Value* const> inputs, size_t output_count,
                        std::string_view output_name_hint, Node* insert_before) {
  std::string hint = output_name_hint.empty() ? op_type : std::string(output_name_hint);
  std::vector<std::string> names;
  for (size_t i = 0; i < output_count; ++i) names.push_back(freshName(hint));
  Node* node = createNodeWithOutputNames(std::move(op_type), names);
  for (Value* input : inputs) node->addInput(input);
  if (insert_before) moveBefore(node, insert_before);
  return node;
}

void Graph::moveBefore(Node* node, Node* anchor) {
  ONNXKIT_CHECK(node->owner_ == this && anchor->owner_ == this, "moveBefore: nodes of another graph");
  if (node == anchor) return;
  nodes_.splice(anchor->position_, nodes_, node->position_);
}

void Graph::dropUses(Node& node) {
  node.removeAllInputs();
  node.forEachSubgraph([](Graph& subgraph) {
    for (auto& inner : subgraph.nodes_) subgraph.dropUses(*inner);
  });
}

void Graph::removeNode(Node* node) {
  ONNXKIT_CHECK(node->owner_ == this, "removeNode: {} belongs to another graph", node->describe());
  for (Value* output : node->outputs_) {
    if (!output) continue;
    ONNXKIT_CHECK(output->uses_.empty() && !output->isGraphOutput(),
                  "removeNode: output '{}' of {} is still used", output->name(), node->describe());
  }
  dropUses(*node);
  for (Value* output : node->outputs_) {
    if (!output) continue;
    output->producer_ = nullptr;
    values_.erase(output->position_);
  }
  node->outputs_.clear();
  nodes_.erase(node->position_);
}

void Graph::replaceAllUsesWith(Value* from, Value* to) {
  ONNXKIT_CHECK(from != to, "replaceAllUsesWith: '{}' replaced by itself", from->name());
  std::vector<Use> uses = from->uses_;
  for (const Use& use : uses) use.user->setInput(use.input_index, to);
}

// ----- Order -----

Result<std::vector<Node*>> Graph::topologicalOrder() const {
  // Kahn's algorithm with a min-heap on list position, so an already sorted graph keeps its order.
  std::unordered_map<const Node*, size_t> position;
  std::vector<Node*> list;
  list.reserve(nodes_.size());
  for (const auto& node : nodes_) {
    position.emplace(node.get(), list.size());
    list.push_back(node.get());
  }
  std::vector<size_t> pending(list.size(), 0);
  std::vector<std::vector<size_t>> consumers(list.size());
  auto add_edge = [&](const Value* value, size_t consumer) {
    // Only producers inside this graph order nodes here.
    if (!value || !value->producer() || value->owner() != this) return;
    size_t producer = position.at(value->producer());
    consumers[producer].push_back(consumer);
    ++pending[consumer];
  };
  for (size_t i = 0; i < list.size(); ++i) {
    for (const Value* input : list[i]->inputs()) add_edge(input, i);
    if (list[i]->hasSubgraphs())
      for (const Value* input : list[i]->outerScopeInputs()) add_edge(input, i);
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < list.size(); ++i)
    if (pending[i] == 0) ready.push(i);
  std::vector<Node*> order;
  order.reserve(list.size());
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(list[i]);
    for (size_t consumer : consumers[i])
      if (--pending[consumer] == 0) ready.push(consumer);
  }
  if (order.size() != list.size()) {
    // Walk producer links among the unsorted nodes until one repeats: that node is on a cycle.
    size_t current = 0;
    while (pending[current] == 0) ++current;
    std::vector<bool> visited(list.size(), false);
    while (!visited[current]) {
      visited[current] = true;
      for (size_t producer = 0; producer < list.size(); ++producer) {
        if (pending[producer] > 0 &&
            std::find(consumers[producer].begin(), consumers[producer].end(), current) !=
                consumers[producer].end()) {
          current = producer;
          break;
        }
      }
    }
    return Status::Error("graph has a cycle through {}", list[current]->describe());
  }
  return order;
}

Status Graph::sortTopologically() {
  auto order = topologicalOrder();
  if (!order.ok()) return order.status();
  for (Node* node : *order) nodes_.splice(nodes_.end(), nodes_, node->position_);
  return Status::Ok();
}

// ----- Names -----

std::string Graph::freshName(std::string_view hint) const { return model_->names().fresh(hint); }

void Graph::renameValue(Value* value, std::string name) {
  model_->names().add(name);
  value->info_.set_name(std::move(name));
}

void ForEachGraph(Graph& graph, const std::function<void(Graph&)>& visit) {
  visit(graph);
  for (Node* node : graph.nodes()) node->forEachSubgraph([&](Graph& subgraph) { ForEachGraph(subgraph, visit); });
}

}  // namespace onnxkit
