#include "ir/pattern.h"

#include <atomic>
#include <cstdio>

namespace onnxkit {

Node* Match::operator[](std::string_view name) const {
  auto it = nodes_.find(name);
  ONNXKIT_CHECK(it != nodes_.end(), "pattern has no node named '{}'", name);
  return it->second;
}

NodePattern::NodePattern(std::string op_type, std::string domain) : op_type_(std::move(op_type)), domain_(std::move(domain)) {}

NodePattern& NodePattern::as(std::string name) {
  name_ = std::move(name);
  return *this;
}

NodePattern& NodePattern::withInput(size_t i, NodePattern producer) {
  producers_.emplace_back(i, std::make_shared<NodePattern>(std::move(producer)));
  return *this;
}

NodePattern& NodePattern::withConstantInputs(std::initializer_list<size_t> inputs) {
  constant_inputs_.insert(constant_inputs_.end(), inputs.begin(), inputs.end());
  return *this;
}

NodePattern& NodePattern::withOneUse() {
  one_use_ = true;
  return *this;
}

NodePattern& NodePattern::withOpset(int64_t minimum, int64_t maximum) {
  min_opset_ = minimum;
  max_opset_ = maximum;
  return *this;
}

NodePattern& NodePattern::where(std::string description, std::function<bool(const Node&)> condition) {
  conditions_.emplace_back(std::move(description), std::move(condition));
  return *this;
}

bool NodePattern::matchInto(Node& node, const Model& model, Match& match) const {
  auto fail = [&](std::string reason) {
    match.reason_ = std::move(reason);
    return false;
  };
  bool same_domain = IsOnnxDomain(domain_) ? node.isOnnxDomain() : node.domain() == domain_;
  if (node.opType() != op_type_ || !same_domain) return fail(fmt::format("{} is not {}", node.describe(), op_type_));
  int64_t opset = model.opsetVersion(node.domain()).value_or(0);
  if (opset < min_opset_ || opset > max_opset_)
    return fail(fmt::format("{} at opset {} is outside {}..{}", node.describe(), opset, min_opset_, max_opset_));
  if (one_use_) {
    const Value* output = node.output(0);
    if (!output || output->uses().size() != 1 || output->isGraphOutput())
      return fail(fmt::format("the output of {} has other uses", node.describe()));
    for (size_t i = 1; i < node.outputCount(); ++i)
      if (node.output(i) && (node.output(i)->hasUses() || node.output(i)->isGraphOutput()))
        return fail(fmt::format("output {} of {} is used", i, node.describe()));
  }
  for (size_t i : constant_inputs_)
    if (!ConstantTensor(node.input(i))) return fail(fmt::format("input {} of {} is not a constant", i, node.describe()));
  for (const auto& [description, condition] : conditions_)
    if (!condition(node)) return fail(fmt::format("{}: {}", node.describe(), description));
  for (const auto& [i, producer] : producers_) {
    const Value* input = node.input(i);
    if (!input || !input->producer() || input->owner() != node.owner())
      return fail(fmt::format("input {} of {} is not produced by {}", i, node.describe(), producer->op_type_));
    if (!producer->matchInto(*input->producer(), model, match)) return false;
  }
  if (!name_.empty()) match.nodes_[name_] = &node;
  return true;
}

Match NodePattern::match(Node& node, const Model& model) const {
  Match match;
  matchInto(node, model, match);
  return match;
}

TensorPtr ConstantTensor(const Value* value) {
  if (!value) return nullptr;
  if (value->isConstant()) return value->initializer();
  const Node* producer = value->producer();
  if (producer && producer->is("Constant")) {
    const Attribute* attribute = producer->attribute("value");
    if (attribute && attribute->tensor()) return attribute->tensor();
  }
  return nullptr;
}

namespace {
std::atomic<bool> g_explain{false};
}

void SetExplainRewrites(bool on) { g_explain.store(on); }
bool ExplainRewrites() { return g_explain.load(); }

void Explain(std::string_view pass, const Node& node, std::string_view reason) {
  if (!g_explain.load()) return;
  std::string line = fmt::format("{}: {}: {}\n", pass, node.describe(), reason);
  std::fputs(line.c_str(), stderr);
}

}  // namespace onnxkit
