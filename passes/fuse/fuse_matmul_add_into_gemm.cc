#include "passes/fuse/fuse_matmul_add_into_gemm.h"

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool GemmAcceptsType(DataType type, int64_t opset) {
  switch (type) {
    case DataType::kFloat16: case DataType::kFloat: case DataType::kDouble:
      return true;
    case DataType::kInt32: case DataType::kInt64: case DataType::kUint32: case DataType::kUint64:
      return opset >= 11;
    case DataType::kBfloat16:
      return opset >= 13;
    default:
      return false;
  }
}

// c's dims, right-aligned against the product [M, N], are each 1 or equal to the product's dim.
bool BroadcastsInto(const std::vector<int64_t>& c_shape, std::optional<int64_t> m, std::optional<int64_t> n) {
  if (c_shape.size() > 2) return false;
  std::optional<int64_t> product[2] = {m, n};
  size_t offset = 2 - c_shape.size();
  for (size_t j = 0; j < c_shape.size(); ++j) {
    if (c_shape[j] == 1) continue;
    const std::optional<int64_t>& dim = product[j + offset];
    if (!dim || *dim != c_shape[j]) return false;
  }
  return true;
}

bool Fuse(Node& add, int64_t opset, std::string_view pass) {
  size_t matmul_index = 0;
  Node* matmul = nullptr;
  for (size_t i = 0; i < 2; ++i) {
    Value* input = add.input(i);
    if (input && input->producer() && input->producer()->is("MatMul") && input->owner() == add.owner()) {
      matmul = input->producer();
      matmul_index = i;
      break;
    }
  }
  if (!matmul) {
    Explain(pass, add, "no input is produced by a MatMul");
    return false;
  }
  Value* product = matmul->output(0);
  if (matmul->inputCount() != 2 || product->uses().size() != 1 || product->isGraphOutput()) {
    Explain(pass, add, "the MatMul's output has other uses");
    return false;
  }
  Value* a = matmul->input(0);
  Value* b = matmul->input(1);
  if (KnownRank(a) != 2 || KnownRank(b) != 2) {
    Explain(pass, *matmul, "its inputs are not both known to be 2-D");
    return false;
  }
  Value* c = add.input(1 - matmul_index);
  auto c_shape = KnownShape(c);
  if (!c_shape || !BroadcastsInto(*c_shape, KnownDim(a, 0), KnownDim(b, 1))) {
    Explain(pass, add, "the addend's shape is unknown or broadcasts the product to a larger shape");
    return false;
  }
  DataType type = KnownElemType(a);
  if (!GemmAcceptsType(type, opset)) {
    Explain(pass, *matmul, fmt::format("Gemm at opset {} does not take its element type", opset));
    return false;
  }
  if (!CanReplaceValue(add.output(0), product)) {
    Explain(pass, add, "its output cannot be replaced");
    return false;
  }
  matmul->setOpType("Gemm");
  matmul->addInput(c);
  ReplaceFusedValue(add.output(0), product);
  add.owner()->removeNode(&add);
  return true;
}

}  // namespace

Result<size_t> FuseMatmulAddIntoGemm::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  if (opset < 7) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes())
      if (node->is("Add") && node->inputCount() == 2 && Fuse(*node, opset, name())) ++fused;
  });
  return fused;
}

}  // namespace onnxkit
