#include "passes/fuse/fuse_transpose_into_gemm.h"

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

bool IsTranspose2D(const Node& node) {
  if (!node.is("Transpose") || node.inputCount() != 1 || !node.input(0) || node.outputCount() != 1) return false;
  auto perm = node.getInts("perm");
  return !perm || *perm == std::vector<int64_t>{1, 0};
}

// Rewrites the Gemm's inputs that come from `transpose` (input 0 and/or 1).
void FoldTranspose(Node& gemm, Node& transpose) {
  Value* source = transpose.input(0);
  for (size_t i = 0; i < 2; ++i) {
    if (gemm.input(i) != transpose.output(0)) continue;
    const char* flag = i == 0 ? "transA" : "transB";
    gemm.setAttribute(Attribute::Int(flag, gemm.getInt(flag, 0) != 0 ? 0 : 1));
    gemm.setInput(i, source);
  }
}

}  // namespace

Result<size_t> FuseTransposeIntoGemm::run(Model& model) {
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    std::vector<Node*> folded;  // removed after the walk, which holds pointers to every node
    for (Node* gemm : graph.nodes()) {
      if (!gemm->is("Gemm")) continue;
      for (size_t i = 0; i < 2; ++i) {
        Value* input = gemm->input(i);
        Node* transpose = input ? input->producer() : nullptr;
        if (!transpose || input->owner() != &graph) continue;
        if (!IsTranspose2D(*transpose)) {
          Explain(name(), *gemm, fmt::format("input {} is not produced by a Transpose with perm [1, 0]", i));
          continue;
        }
        bool only_a_or_b = !input->isGraphOutput();
        for (const Use& use : input->uses()) only_a_or_b &= use.user == gemm && use.input_index < 2;
        if (!only_a_or_b) {
          Explain(name(), *transpose, "its output has uses other than this Gemm's A and B");
          continue;
        }
        FoldTranspose(*gemm, *transpose);
        folded.push_back(transpose);
        ++fused;
      }
    }
    for (Node* transpose : folded) graph.removeNode(transpose);
  });
  return fused;
}

}  // namespace onnxkit
