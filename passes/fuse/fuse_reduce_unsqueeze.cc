#include "passes/fuse/fuse_reduce_unsqueeze.h"

#include <algorithm>
#include <map>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

// Opset from which each reduction takes its axes as an input.
const std::map<std::string, int64_t, std::less<>> kReductions = {
    {"ReduceSum", 13},    {"ReduceMean", 18},      {"ReduceMax", 18},       {"ReduceMin", 18},
    {"ReduceProd", 18},   {"ReduceL1", 18},        {"ReduceL2", 18},        {"ReduceLogSum", 18},
    {"ReduceLogSumExp", 18}, {"ReduceSumSquare", 18},
};

bool IsReduction(const Node& node) {
  return node.isOnnxDomain() && (kReductions.count(node.opType()) || node.opType() == "ArgMax" ||
                                 node.opType() == "ArgMin");
}

// The axes a reduction is given: nullopt when not known (not constant, or absent/empty with
// noop_with_empty_axes = 1: an identity); an empty list when it reduces every axis.
std::optional<std::vector<int64_t>> GivenAxes(const Node& reduce, int64_t opset) {
  if (reduce.opType() == "ArgMax" || reduce.opType() == "ArgMin") return std::vector<int64_t>{reduce.getInt("axis", 0)};
  bool from_input = opset >= kReductions.find(reduce.opType())->second;
  auto given = ReadAxesArgument(reduce, from_input, 1);
  if (!given) return std::nullopt;
  if (*given && !(*given)->empty()) return **given;
  if (from_input && reduce.getInt("noop_with_empty_axes", 0) != 0) return std::nullopt;
  return std::vector<int64_t>{};
}

// Whether the Unsqueeze's axes (which refer to its output, of x's rank r) are the reduced axes.
bool SameAxes(const Node& reduce, int64_t opset, std::optional<int64_t> rank, std::vector<int64_t> unsqueeze_axes) {
  auto reduce_axes = GivenAxes(reduce, opset);
  if (!reduce_axes) return false;
  if (reduce_axes->empty()) {  // every axis
    if (!rank) return false;
    for (int64_t a = 0; a < *rank; ++a) reduce_axes->push_back(a);
  }
  auto a = NormalizeAxes(*reduce_axes, rank);
  auto b = NormalizeAxes(unsqueeze_axes, rank);
  if (!a || !b) {
    if (rank) return false;
    // Negative axes of unknown rank: the same list up to order denotes the same axes, since both
    // are normalized with the same r.
    a = *reduce_axes;
    b = unsqueeze_axes;
    std::sort(a->begin(), a->end());
    if (std::adjacent_find(a->begin(), a->end()) != a->end()) return false;
  }
  std::sort(a->begin(), a->end());
  std::sort(b->begin(), b->end());
  return *a == *b;
}

}  // namespace

Result<size_t> FuseReduceUnsqueeze::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* unsqueeze : graph.nodes()) {
      if (!unsqueeze->is("Unsqueeze") || unsqueeze->outputCount() != 1) continue;
      Value* reduced = unsqueeze->input(0);
      Node* reduce = reduced ? reduced->producer() : nullptr;
      if (!reduce || reduced->owner() != &graph || !IsReduction(*reduce) || reduce->outputCount() != 1) continue;
      if (reduce->getInt("keepdims", 1) != 0) continue;
      if (reduced->uses().size() != 1 || reduced->isGraphOutput()) {
        Explain(name(), *reduce, "its output has other uses");
        continue;
      }
      std::optional<int64_t> rank = KnownRank(reduce->input(0));
      auto given = ReadAxesArgument(*unsqueeze, opset >= 13, 1);
      if (!given || !*given || (*given)->empty()) {
        Explain(name(), *unsqueeze, "its axes are not known");
        continue;
      }
      if (!SameAxes(*reduce, opset, rank, **given)) {
        Explain(name(), *unsqueeze, "it does not restore exactly the reduced axes (or they are not known)");
        continue;
      }
      Value* output = unsqueeze->output(0);
      if (!CanReplaceValue(output, reduced)) {
        Explain(name(), *unsqueeze, "its output cannot be replaced");
        continue;
      }
      reduce->setAttribute(Attribute::Int("keepdims", 1));
      if (output->hasType()) *reduced->mutableType() = output->type();
      else reduced->mutableInfo()->clear_type();
      ReplaceValue(output, reduced);
      graph.removeNode(unsqueeze);
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
