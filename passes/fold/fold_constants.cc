#include "passes/fold/fold_constants.h"

#include <set>
#include <unordered_set>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "runtime/evaluate_node.h"
#include "runtime/tensor_io.h"

namespace onnxkit {
namespace {

constexpr uint64_t kNodeBytesEstimate = 64;

const std::set<std::string_view> kNeverFolded = {
    "Bernoulli",     "DequantizeLinear", "Dropout",          "DynamicQuantizeLinear", "Multinomial", "QuantizeLinear",
    "RandomNormal",  "RandomNormalLike", "RandomUniform",    "RandomUniformLike",
};

// Bytes that disappear from the model when `node` is folded: constants only it uses.
uint64_t FreedBytes(const Node& node) {
  uint64_t freed = 0;
  std::unordered_set<const Value*> counted;
  for (const Value* input : node.inputs()) {
    if (!input || !counted.insert(input).second) continue;
    bool only_this_node = true;
    for (const Use& use : input->uses()) only_this_node &= use.user == &node;
    if (!only_this_node || input->isGraphOutput()) continue;
    if (TensorPtr tensor = ConstantTensor(input)) freed += tensor->byteSize();
  }
  return freed;
}

bool FoldNode(Node& node, const Model& model, const std::optional<uint64_t>& max_bytes, std::string_view pass) {
  if (!node.isOnnxDomain() || node.is("Constant") || IsNeverFolded(node) || node.hasSubgraphs()) return false;
  std::vector<runtime::Tensor> inputs;
  std::vector<const runtime::Tensor*> pointers;
  inputs.reserve(node.inputCount());
  bool any_input = false;
  for (const Value* input : node.inputs()) {
    if (!input) {
      inputs.emplace_back();
      continue;
    }
    TensorPtr tensor = ConstantTensor(input);
    if (!tensor) return false;
    auto converted = runtime::FromIrTensor(tensor);
    if (!converted.ok()) return false;
    inputs.push_back(std::move(converted).value());
    any_input = true;
  }
  if (!any_input) return false;
  for (const runtime::Tensor& t : inputs) pointers.push_back(t.defined() ? &t : nullptr);

  int64_t opset = model.opsetVersion(node.domain()).value_or(0);
  auto outputs = runtime::EvaluateNode(node, opset, pointers);
  if (!outputs.ok()) {
    Explain(pass, node, outputs.message());
    return false;
  }
  uint64_t output_bytes = 0;
  for (const runtime::Tensor& t : *outputs) output_bytes += t.defined() ? t.byteSize() : 0;
  bool small_enough = max_bytes ? output_bytes <= *max_bytes : false;
  if (!small_enough && output_bytes > FreedBytes(node) + kNodeBytesEstimate) {
    Explain(pass, node, fmt::format("its outputs ({} bytes) would grow the model", output_bytes));
    return false;
  }
  Graph& graph = *node.owner();
  for (size_t i = 0; i < node.outputCount(); ++i) {
    Value* output = node.output(i);
    if (!output || (!output->hasUses() && !output->isGraphOutput())) continue;
    Value* constant = graph.addInitializer(output->name(), runtime::ToIrTensor((*outputs)[i]));
    ONNXKIT_CHECK(ReplaceValue(output, constant), "folding {}: cannot replace output {}", node.describe(), i);
  }
  graph.removeNode(&node);
  return true;
}

}  // namespace

bool IsNeverFolded(const Node& node) { return node.isOnnxDomain() && kNeverFolded.count(node.opType()); }

Result<size_t> FoldConstants::run(Model& model) {
  size_t folded = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    auto order = graph.topologicalOrder();
    if (!order.ok()) return;
    for (Node* node : *order)
      if (FoldNode(*node, model, max_bytes_, name())) ++folded;
  });
  return folded;
}

}  // namespace onnxkit
