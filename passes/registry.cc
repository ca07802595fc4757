#include "passes/registry.h"

#include <algorithm>
#include <type_traits>

#include "passes/cleanup/constants_to_initializers.h"
#include "passes/cleanup/eliminate_common_subexpressions.h"
#include "passes/cleanup/eliminate_dead_nodes.h"
#include "passes/cleanup/eliminate_identity.h"
#include "passes/cleanup/eliminate_noop_arithmetic.h"
#include "passes/cleanup/eliminate_noop_cast.h"
#include "passes/cleanup/eliminate_noop_concat.h"
#include "passes/cleanup/eliminate_noop_expand.h"
#include "passes/cleanup/eliminate_noop_flatten.h"
#include "passes/cleanup/eliminate_noop_pad.h"
#include "passes/cleanup/eliminate_noop_reshape.h"
#include "passes/cleanup/eliminate_noop_slice.h"
#include "passes/cleanup/eliminate_noop_split.h"
#include "passes/cleanup/eliminate_noop_transpose.h"
#include "passes/cleanup/eliminate_unsqueeze_squeeze.h"
#include "passes/cleanup/inline_constant_if.h"
#include "passes/cleanup/merge_duplicate_initializers.h"
#include "passes/cleanup/remove_initializer_inputs.h"
#include "passes/fold/fold_constants.h"
#include "passes/fold/fold_shapes.h"
#include "passes/fold/infer_shapes.h"
#include "passes/fuse/fuse_consecutive_concats.h"
#include "passes/fuse/fuse_consecutive_reshapes.h"
#include "passes/fuse/fuse_consecutive_slices.h"
#include "passes/fuse/fuse_consecutive_squeezes.h"
#include "passes/fuse/fuse_consecutive_transposes.h"
#include "passes/fuse/fuse_consecutive_unsqueezes.h"
#include "passes/fuse/fuse_conv_add.h"
#include "passes/fuse/fuse_conv_batchnorm.h"
#include "passes/fuse/fuse_conv_mul.h"
#include "passes/fuse/fuse_convtranspose_batchnorm.h"
#include "passes/fuse/fuse_gelu.h"
#include "passes/fuse/fuse_hard_sigmoid.h"
#include "passes/fuse/fuse_hard_swish.h"
#include "passes/fuse/fuse_layer_normalization.h"
#include "passes/fuse/fuse_log_softmax.h"
#include "passes/fuse/fuse_matmul_add_into_gemm.h"
#include "passes/fuse/fuse_matmul_batchnorm_into_gemm.h"
#include "passes/fuse/fuse_mish.h"
#include "passes/fuse/fuse_pad_into_conv.h"
#include "passes/fuse/fuse_qkv_matmuls.h"
#include "passes/fuse/fuse_reduce_unsqueeze.h"
#include "passes/fuse/fuse_relu_clip.h"
#include "passes/fuse/fuse_reshape_copy_dims.h"
#include "passes/fuse/fuse_transpose_into_gemm.h"
#include "passes/fuse/replace_div_by_constant.h"
#include "passes/fuse_ort/fuse_attention_ort.h"
#include "passes/fuse_ort/fuse_conv_activation_ort.h"
#include "passes/fuse_ort/fuse_gelu_ort.h"
#include "passes/fuse_ort/fuse_gemm_activation_ort.h"
#include "passes/fuse_ort/fuse_layer_normalization_ort.h"
#include "passes/fuse_ort/fuse_matmul_scale_ort.h"
#include "passes/fuse_ort/fuse_quick_gelu_ort.h"
#include "passes/fuse_ort/fuse_skip_layer_normalization_ort.h"

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
    {"constants-to-initializers", "turns Constant nodes into initializers (IR version >= 4; not sparse_value, not graph outputs)",
     PassGroup::kCleanup, Make<ConstantsToInitializers>},
    {"eliminate-common-subexpressions", "merges nodes computing the same op on the same inputs with the same attributes",
     PassGroup::kCleanup, Make<EliminateCommonSubexpressions>},
    {"eliminate-dead-nodes",
     "removes nodes whose outputs reach no graph output, and unused initializers and value_info",
     PassGroup::kCleanup, Make<EliminateDeadNodes>},
    {"eliminate-identity", "removes Identity and inference-mode Dropout, keeping graph output names",
     PassGroup::kCleanup, Make<EliminateIdentity>},
    {"eliminate-noop-arithmetic", "removes x*1, x/1, x^1, integer x+0 and x-0, float x+(-0.0) and x-(+0.0) where the constant changes neither shape nor type",
     PassGroup::kCleanup, Make<EliminateNoopArithmetic>},
    {"eliminate-noop-cast", "removes Cast and CastLike to the type the input already has",
     PassGroup::kCleanup, Make<EliminateNoopCast>},
    {"eliminate-noop-concat", "removes Concat of a single input",
     PassGroup::kCleanup, Make<EliminateNoopConcat>},
    {"eliminate-noop-expand", "removes Expand that does not change the input's shape",
     PassGroup::kCleanup, Make<EliminateNoopExpand>},
    {"eliminate-noop-flatten", "removes Flatten of an input that is already that 2-D shape",
     PassGroup::kCleanup, Make<EliminateNoopFlatten>},
    {"eliminate-noop-pad", "removes Pad with all pads zero",
     PassGroup::kCleanup, Make<EliminateNoopPad>},
    {"eliminate-noop-reshape", "removes Reshape to the shape the input already has",
     PassGroup::kCleanup, Make<EliminateNoopReshape>},
    {"eliminate-noop-slice", "removes Slice that keeps every element",
     PassGroup::kCleanup, Make<EliminateNoopSlice>},
    {"eliminate-noop-split", "removes Split into a single output that covers the whole axis",
     PassGroup::kCleanup, Make<EliminateNoopSplit>},
    {"eliminate-noop-transpose", "removes Transpose with the identity permutation",
     PassGroup::kCleanup, Make<EliminateNoopTranspose>},
    {"eliminate-unsqueeze-squeeze", "removes Unsqueeze/Squeeze (or Squeeze/Unsqueeze) pairs that give back their input",
     PassGroup::kCleanup, Make<EliminateUnsqueezeSqueeze>},
    {"fold-constants", "computes nodes whose inputs are all constant with the runtime's kernels",
     PassGroup::kFold, Make<FoldConstants>},
    {"fold-shapes", "replaces Shape/Size computations that shape inference knows by constants",
     PassGroup::kFold, Make<FoldShapes>},
    {"fuse-attention-ort", "fuses BERT-style self-attention (Q/K/V, masked softmax) into com.microsoft.Attention",
     PassGroup::kFuseOrt, Make<FuseAttentionOrt>},
    {"fuse-consecutive-concats", "flattens a Concat of Concats along the same axis",
     PassGroup::kFuse, Make<FuseConsecutiveConcats>},
    {"fuse-consecutive-reshapes", "replaces a chain of Reshapes by the last one",
     PassGroup::kFuse, Make<FuseConsecutiveReshapes>},
    {"fuse-consecutive-slices", "merges consecutive Slices over different axes into one",
     PassGroup::kFuse, Make<FuseConsecutiveSlices>},
    {"fuse-consecutive-squeezes", "merges consecutive Squeezes into one",
     PassGroup::kFuse, Make<FuseConsecutiveSqueezes>},
    {"fuse-consecutive-transposes", "composes consecutive Transposes (and drops them when they cancel)",
     PassGroup::kFuse, Make<FuseConsecutiveTransposes>},
    {"fuse-consecutive-unsqueezes", "merges consecutive Unsqueezes into one",
     PassGroup::kFuse, Make<FuseConsecutiveUnsqueezes>},
    {"fuse-conv-activation-ort", "fuses Conv (+ Add) with a following activation into com.microsoft.FusedConv",
     PassGroup::kFuseOrt, Make<FuseConvActivationOrt>},
    {"fuse-conv-add", "folds an Add of a per-output-channel constant into the Conv's bias",
     PassGroup::kFuse, Make<FuseConvAdd>},
    {"fuse-conv-batchnorm", "folds an inference BatchNormalization into the preceding Conv's weights and bias",
     PassGroup::kFuse, Make<FuseConvBatchNorm>},
    {"fuse-conv-mul", "folds a Mul by a per-output-channel constant into the Conv's weights and bias",
     PassGroup::kFuse, Make<FuseConvMul>},
    {"fuse-convtranspose-batchnorm", "folds an inference BatchNormalization into the preceding ConvTranspose",
     PassGroup::kFuse, Make<FuseConvtransposeBatchnorm>},
    {"fuse-gelu", "turns the decomposed erf and tanh GELU subgraphs into Gelu (opset >= 20)",
     PassGroup::kFuse, Make<FuseGelu>},
    {"fuse-gelu-ort", "turns GELU subgraphs into com.microsoft Gelu, BiasGelu or FastGelu (any opset)",
     PassGroup::kFuseOrt, Make<FuseGeluOrt>},
    {"fuse-gemm-activation-ort", "fuses Gemm with a following activation into com.microsoft.FusedGemm",
     PassGroup::kFuseOrt, Make<FuseGemmActivationOrt>},
    {"fuse-hard-sigmoid", "turns Clip(x + 3, 0, 6) / 6 style subgraphs into HardSigmoid",
     PassGroup::kFuse, Make<FuseHardSigmoid>},
    {"fuse-hard-swish", "turns x * HardSigmoid(x) (alpha 1/6, beta 1/2) into HardSwish (opset >= 14)",
     PassGroup::kFuse, Make<FuseHardSwish>},
    {"fuse-layer-normalization", "turns the decomposed LayerNorm subgraph into LayerNormalization (opset >= 17)",
     PassGroup::kFuse, Make<FuseLayerNormalization>},
    {"fuse-layer-normalization-ort", "turns the decomposed LayerNorm subgraph into LayerNormalization at opsets < 17 (ONNX Runtime's contrib op)",
     PassGroup::kFuseOrt, Make<FuseLayerNormalizationOrt>},
    {"fuse-log-softmax", "turns Log(Softmax(x)) into LogSoftmax",
     PassGroup::kFuse, Make<FuseLogSoftmax>},
    {"fuse-matmul-add-into-gemm", "turns 2-D MatMul followed by Add of a constant into Gemm",
     PassGroup::kFuse, Make<FuseMatmulAddIntoGemm>},
    {"fuse-matmul-batchnorm-into-gemm", "turns 2-D MatMul with a constant weight followed by BatchNormalization into Gemm",
     PassGroup::kFuse, Make<FuseMatmulBatchnormIntoGemm>},
    {"fuse-matmul-scale-ort", "fuses MatMul with transposes of its inputs and scaling into com.microsoft.FusedMatMul",
     PassGroup::kFuseOrt, Make<FuseMatmulScaleOrt>},
    {"fuse-mish", "turns x * Tanh(Softplus(x)) into Mish (opset >= 18)",
     PassGroup::kFuse, Make<FuseMish>},
    {"fuse-pad-into-conv", "folds a constant zero Pad into the pads of the following Conv or pooling",
     PassGroup::kFuse, Make<FusePadIntoConv>},
    {"fuse-qkv-matmuls", "merges MatMuls of one input by several constant weights into one MatMul and a Split",
     PassGroup::kFuse, Make<FuseQkvMatmuls>},
    {"fuse-quick-gelu-ort", "turns x * Sigmoid(alpha x) (SiLU/Swish, quick GELU) into com.microsoft.QuickGelu",
     PassGroup::kFuseOrt, Make<FuseQuickGeluOrt>},
    {"fuse-reduce-unsqueeze", "turns a keepdims=0 reduction followed by Unsqueeze of the same axes into keepdims=1",
     PassGroup::kFuse, Make<FuseReduceUnsqueeze>},
    {"fuse-relu-clip", "merges Relu and Clip into one Clip",
     PassGroup::kFuse, Make<FuseReluClip>},
    {"fuse-reshape-copy-dims", "turns a Reshape target computed from its input's own dims into a constant copying them with 0",
     PassGroup::kFuse, Make<FuseReshapeCopyDims>},
    {"fuse-skip-layer-normalization-ort", "fuses Add (+ bias) with LayerNormalization into com.microsoft.SkipLayerNormalization",
     PassGroup::kFuseOrt, Make<FuseSkipLayerNormalizationOrt>},
    {"fuse-transpose-into-gemm", "folds a 2-D Transpose of a Gemm input into transA/transB",
     PassGroup::kFuse, Make<FuseTransposeIntoGemm>},
    {"infer-shapes", "records ONNX shape inference's types and shapes in value_info",
     PassGroup::kFold, Make<InferShapesPass>},
    {"inline-constant-if", "replaces an If with a constant condition by the nodes of the branch taken",
     PassGroup::kCleanup, Make<InlineConstantIf>},
    {"merge-duplicate-initializers", "merges initializers with identical type, shape and contents",
     PassGroup::kCleanup, Make<MergeDuplicateInitializers>},
    {"remove-initializer-inputs", "stops listing initializers as graph inputs (IR version >= 4), so they are constants",
     PassGroup::kCleanup, Make<RemoveInitializerInputs>},
    {"replace-div-by-constant", "replaces division by a float constant with multiplication by its reciprocal",
     PassGroup::kFuse, Make<ReplaceDivByConstant>},
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

PipelineGroups Pipeline(bool fold, bool fuse, bool fuse_ort) {
  PipelineGroups groups;
  if (fold) groups.push_back(PassesOfGroup(PassGroup::kFold));
  // Fusions read shapes: infer them again for the values folding created.
  auto with_shapes = [](std::vector<std::string> passes) {
    passes.insert(passes.begin(), "infer-shapes");
    return passes;
  };
  if (fuse) groups.push_back(with_shapes(PassesOfGroup(PassGroup::kFuse)));
  if (fuse_ort) groups.push_back(with_shapes(PassesOfGroup(PassGroup::kFuseOrt)));
  groups.push_back(PassesOfGroup(PassGroup::kCleanup));
  return groups;
}

PipelineGroups PipelineForLevel(int level) {
  if (level <= 0) return {};
  return Pipeline(true, level >= 2, level >= 3);
}

}  // namespace onnxkit
