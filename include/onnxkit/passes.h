// Graph optimization: the passes of onnx-opt, by level or by name.
//
// Levels (as onnx-opt -O0 ... -O3): 0 no pass; 1 constant and shape folding, then cleanup;
// 2 (default) also fusions into standard ONNX ops; 3 also fusions into ONNX Runtime contrib ops
// (com.microsoft domain: the result needs ONNX Runtime or the bundled runtime). Each group of
// passes runs to a fixed point; cleanup always runs last. Optimized models compute the same
// outputs as the originals (bit-exact for folding and cleanup, within float rounding for fusions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "onnxkit/export.h"
#include "onnxkit/model.h"

namespace onnxkit::api {

struct PassInfo {
  std::string name{};  // "fuse-conv-batchnorm"
  std::string group{};  // "cleanup", "fold", "fuse" or "fuse-ort"
  std::string summary{};  // one line
};

// Every registered pass, sorted by name (onnx-opt --list-passes; docs/passes.md describes each).
ONNXKIT_API std::vector<PassInfo> listPasses();

struct OptimizeOptions {
  int level = 2;  // 0 ... 3
  // When not empty: exactly these passes (to a fixed point) instead of the level's pipeline.
  std::vector<std::string> passes{};
  // Passes left out of the pipeline.
  std::vector<std::string> disable{};
  // Constant folding may grow the model up to this many bytes per folded output; unset: only
  // folds that do not grow the model.
  std::optional<uint64_t> fold_max_bytes{};
  // Run the structural verifier after every pass that changed the model (slower; for debugging).
  bool verify_each = false;
};

struct PassStats {
  std::string name{};
  size_t runs = 0;
  size_t rewrites = 0;
  double seconds = 0;
};

struct OptimizeReport {
  size_t rewrites = 0;           // 0: the model is unchanged
  std::vector<PassStats> passes{};  // in pipeline order
};

// Optimizes `model` in place; the result is verified. An unknown pass name or level throws Error
// before anything changes. (An error while passes run — a bug — may leave the model partly
// optimized: clone() first to keep the original.)
ONNXKIT_API OptimizeReport optimize(Model& model, const OptimizeOptions& options = {});
// Runs exactly the named passes, to a fixed point (optimize() with options.passes = passes).
ONNXKIT_API OptimizeReport runPasses(Model& model, const std::vector<std::string>& passes);

}  // namespace onnxkit::api
