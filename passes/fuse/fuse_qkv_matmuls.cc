#include "passes/fuse/fuse_qkv_matmuls.h"

#include <cstring>
#include <map>
#include <tuple>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPass = "fuse-qkv-matmuls";

struct Branch {
  Node* matmul = nullptr;
  TensorPtr weight;
  Node* add = nullptr;  // the bias Add, when there is one that qualifies
  TensorPtr bias;
};

// A MatMul by a constant 2-D weight used only by it (conditions 1 and 2).
std::optional<Branch> Candidate(Node& node) {
  if (!node.is("MatMul") || node.inputCount() != 2 || node.outputCount() != 1 || !node.output(0)) return std::nullopt;
  if (!node.input(0) || node.input(0) == node.input(1)) return std::nullopt;
  TensorPtr weight = ConstantTensor(node.input(1));
  if (!weight || weight->rank() != 2 || weight->dims()[1] <= 0 || ElementSize(weight->dtype()) == 0) return std::nullopt;
  if (!UsedOnlyBy(node.input(1), node)) {
    Explain(kPass, node, "its weight has other uses");
    return std::nullopt;
  }
  return Branch{&node, weight, nullptr, nullptr};
}

// The bias Add after a branch's MatMul (condition 3), filled into `branch` when it qualifies.
bool FindBias(Branch& branch) {
  const Value* product = branch.matmul->output(0);
  if (product->isGraphOutput() || product->uses().size() != 1) return false;
  Node* add = product->uses()[0].user;
  if (add->owner() != branch.matmul->owner() || !add->is("Add") || add->inputCount() != 2 || add->outputCount() != 1 ||
      add->input(0) == add->input(1))
    return false;
  TensorPtr bias = ConstantTensor(add->input(add->input(0) == product ? 1 : 0));
  if (!bias || bias->dtype() != branch.weight->dtype() || bias->rank() != 1 ||
      bias->dims()[0] != branch.weight->dims()[1])
    return false;
  branch.add = add;
  branch.bias = bias;
  return true;
}

// The weights side by side: [K, sum N_i], row by row.
TensorPtr ConcatenateColumns(const std::vector<Branch>& branches) {
  DataType type = branches.front().weight->dtype();
  size_t element = ElementSize(type);
  int64_t rows = branches.front().weight->dims()[0];
  int64_t columns = 0;
  for (const Branch& b : branches) columns += b.weight->dims()[1];
  std::vector<std::byte> bytes(static_cast<size_t>(rows * columns) * element);
  std::byte* out = bytes.data();
  for (int64_t r = 0; r < rows; ++r)
    for (const Branch& b : branches) {
      size_t row_bytes = static_cast<size_t>(b.weight->dims()[1]) * element;
      std::memcpy(out, b.weight->bytes().data() + static_cast<size_t>(r) * row_bytes, row_bytes);
      out += row_bytes;
    }
  return Tensor::Create(type, {rows, columns}, SharedBytes::FromVector(std::move(bytes)));
}

TensorPtr ConcatenateBiases(const std::vector<Branch>& branches) {
  DataType type = branches.front().bias->dtype();
  std::vector<std::byte> bytes;
  int64_t count = 0;
  for (const Branch& b : branches) {
    auto span = b.bias->bytes().span();
    bytes.insert(bytes.end(), span.begin(), span.end());
    count += b.bias->elementCount();
  }
  return Tensor::Create(type, {count}, SharedBytes::FromVector(std::move(bytes)));
}

// Rewrites one group of branches that share x, K and the element type. Returns false (changing
// nothing) when the group does not qualify.
bool FuseGroup(Graph& graph, std::vector<Branch> branches, int64_t opset) {
  bool biased = opset >= 7;  // before Add-7, broadcasting needs the broadcast attribute
  for (Branch& b : branches) biased = FindBias(b) && biased;
  if (!biased)
    for (Branch& b : branches) b.add = nullptr;
  size_t n = branches.size();
  if (n < (biased ? 2u : 3u)) {
    Explain(kPass, *branches.front().matmul,
            fmt::format("{} MatMuls{} share the input: merging would not reduce the node count", n,
                        biased ? " with biases" : ""));
    return false;
  }
  Value* x = branches.front().matmul->input(0);
  int64_t axis = -1;  // negative axes exist from Split-11
  if (opset < 11) axis = x->rank() ? *x->rank() - 1 : -1;
  if (axis < 0 && opset < 11) {
    Explain(kPass, *branches.front().matmul, "Split before opset 11 needs the input's rank");
    return false;
  }

  Node* first = branches.front().matmul;
  Value* weight = graph.addInitializer(first->input(1)->name() + "_merged", ConcatenateColumns(branches));
  Node* matmul = graph.createNode("MatMul", {x, weight}, 1, first->output(0)->name() + "_merged", first);
  matmul->mutableMetadata()->set_domain("");
  Value* result = matmul->output(0);
  if (biased) {
    const Node& add0 = *branches.front().add;
    const Value* bias0 = add0.input(add0.input(0) == first->output(0) ? 1 : 0);
    Value* bias = graph.addInitializer(bias0->name() + "_merged", ConcatenateBiases(branches));
    Node* add = graph.createNode("Add", {result, bias}, 1, branches.front().add->output(0)->name() + "_merged", first);
    add->mutableMetadata()->set_domain("");
    result = add->output(0);
  }
  std::vector<int64_t> sizes;
  for (const Branch& b : branches) sizes.push_back(b.weight->dims()[1]);
  std::vector<Value*> split_inputs = {result};
  if (opset >= 13)
    split_inputs.push_back(graph.addInitializer("split_sizes", Tensor::FromValues<int64_t>(
                                                                    DataType::kInt64, {static_cast<int64_t>(n)}, sizes)));
  Node* split = graph.createNode("Split", split_inputs, n, result->name() + "_split", first);
  split->mutableMetadata()->set_domain("");
  split->setAttribute(Attribute::Int("axis", axis));
  if (opset < 13) split->setAttribute(Attribute::Ints("split", sizes));
  for (size_t i = 0; i < n; ++i) {
    Node* last = biased ? branches[i].add : branches[i].matmul;
    ONNXKIT_CHECK(ReplaceValue(last->output(0), split->output(i)), "fuse-qkv-matmuls: output replacement");
  }
  for (const Branch& b : branches) {
    if (b.add) graph.removeNode(b.add);
    graph.removeNode(b.matmul);
  }
  return true;
}

}  // namespace

Result<size_t> FuseQkvMatmuls::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  if (opset < 2) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    // Groups by (x, K, element type), in the order their first MatMul appears.
    std::vector<std::vector<Branch>> groups;
    std::map<std::tuple<const Value*, int64_t, DataType>, size_t> index;
    for (Node* node : graph.nodes()) {
      auto branch = Candidate(*node);
      if (!branch) continue;
      auto key = std::make_tuple(static_cast<const Value*>(node->input(0)), branch->weight->dims()[0],
                                 branch->weight->dtype());
      auto [it, inserted] = index.emplace(key, groups.size());
      if (inserted) groups.emplace_back();
      groups[it->second].push_back(*branch);
    }
    for (auto& group : groups)
      if (group.size() >= 2 && FuseGroup(graph, std::move(group), opset)) ++fused;
  });
  return fused;
}

}  // namespace onnxkit
