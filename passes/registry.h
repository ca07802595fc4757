// Every pass and every pipeline, listed explicitly in registry.cc (sorted by name), so a reader
// sees them all in one place. No static self-registration: static libraries drop such objects.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "passes/pass.h"
#include "ir/status.h"

namespace onnxkit {

enum class PassGroup { kCleanup, kFold, kFuse, kFuseOrt };
std::string_view PassGroupName(PassGroup group);

// Settings some passes read (from onnx-opt's command line).
struct PassOptions {
  // Constant folding may produce outputs up to this many bytes even when that grows the model;
  // unset: only folds that do not grow the model file.
  std::optional<uint64_t> fold_max_bytes;
};

struct PassInfo {
  std::string_view name;
  std::string_view summary;  // one line, for --list-passes and the generated pass reference
  PassGroup group;
  std::unique_ptr<Pass> (*create)(const PassOptions& options);
};

// All passes, sorted by name.
std::span<const PassInfo> RegisteredPasses();
const PassInfo* FindPass(std::string_view name);

// A pipeline: groups run in order, each to a fixed point; cleanup runs last.
using PipelineGroups = std::vector<std::vector<std::string>>;
// The groups chosen, in order (fold, fuse, fuse-ort), then cleanup, which always runs last.
PipelineGroups Pipeline(bool fold, bool fuse, bool fuse_ort);
// Level 0: nothing; 1: fold + cleanup; 2: + fuse (standard ONNX); 3: + fuse-ort (ONNX Runtime ops).
PipelineGroups PipelineForLevel(int level);
// The passes of one group, in registry order.
std::vector<std::string> PassesOfGroup(PassGroup group);

}  // namespace onnxkit
