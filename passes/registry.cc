#include "passes/registry.h"

#include <algorithm>
#include <type_traits>

#include "passes/cleanup/eliminate_dead_nodes.h"
#include "passes/cleanup/eliminate_identity.h"
#include "passes/fold/fold_constants.h"
#include "passes/fold/fold_shapes.h"
#include "passes/fold/infer_shapes.h"
#include "passes/fuse/fuse_conv_batchnorm.h"

namespace onnxkit {

std::string_view PassGroupName(PassGroup group) {
  switch (group) {
    case PassGroup::kCleanup: return "cleanup";
    case PassGroup::kFold: return "fold";
    case PassGroup::kFuse: return "fuse";
    case PassGroup::kFuseOrt: return "fuse-ort";
  }
  return "?";
}

namespace {
template <typename T>
std::unique_ptr<Pass> Make(const PassOptions& options) {
  if constexpr (std::is_constructible_v<T, const PassOptions&>) return std::make_unique<T>(options);
  else return std::make_unique<T>();
}

// Sorted by name. Within a group, a pipeline runs the passes in this order.
const PassInfo kPasses[] = {
    {"eliminate-dead-nodes",
     "removes nodes whose outputs reach no graph output, and unused initializers and value_info",
     PassGroup::kCleanup, Make<EliminateDeadNodes>},
    {"eliminate-identity", "removes Identity and inference-mode Dropout, keeping graph output names",
     PassGroup::kCleanup, Make<EliminateIdentity>},
    {"fold-constants", "computes nodes whose inputs are all constant with the runtime's kernels",
     PassGroup::kFold, Make<FoldConstants>},
    {"fold-shapes", "replaces Shape/Size computations that shape inference knows by constants",
     PassGroup::kFold, Make<FoldShapes>},
    {"fuse-conv-batchnorm", "folds an inference BatchNormalization into the preceding Conv's weights and bias",
     PassGroup::kFuse, Make<FuseConvBatchNorm>},
    {"infer-shapes", "records ONNX shape inference's types and shapes in value_info",
     PassGroup::kFold, Make<InferShapesPass>},
};
}  // namespace

std::span<const PassInfo> RegisteredPasses() { return kPasses; }

const PassInfo* FindPass(std::string_view name) {
  for (const PassInfo& info : kPasses)
    if (info.name == name) return &info;
  return nullptr;
}

std::vector<std::string> PassesOfGroup(PassGroup group) {
  std::vector<std::string> names;
  for (const PassInfo& info : kPasses)
    if (info.group == group) names.emplace_back(info.name);
  // Dead-node elimination last in cleanup: the other cleanups leave dead nodes behind. Shape
  // inference first in folding: the folds read the types it records.
  auto dce = std::find(names.begin(), names.end(), "eliminate-dead-nodes");
  if (dce != names.end()) std::rotate(dce, dce + 1, names.end());
  auto infer = std::find(names.begin(), names.end(), "infer-shapes");
  if (infer != names.end()) std::rotate(names.begin(), infer, infer + 1);
  return names;
}

PipelineGroups PipelineForLevel(int level) {
  PipelineGroups groups;
  if (level <= 0) return groups;
  if (level >= 1) groups.push_back(PassesOfGroup(PassGroup::kFold));
  if (level >= 2) groups.push_back(PassesOfGroup(PassGroup::kFuse));
  if (level >= 3) groups.push_back(PassesOfGroup(PassGroup::kFuseOrt));
  groups.push_back(PassesOfGroup(PassGroup::kCleanup));
  std::erase_if(groups, [](const auto& g) { return g.empty(); });
  return groups;
}

}  // namespace onnxkit
