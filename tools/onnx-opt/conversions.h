// onnx-opt's conversions (docs/conversions.md): --target-opset, --overwrite-input-shape,
// --fix-batch, --fp16, --keep-io-types, --fp16-keep-ops. They run around the pass pipeline: the
// opset and the input shapes before it (so passes see the target opset, and fold-shapes the fixed
// dims), float16 after it (so folding and fusions see the float32 graph).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ir/model.h"
#include "passes/pass_manager.h"

namespace onnxkit::tools {

struct ConversionOptions {
  std::optional<int64_t> target_opset;
  std::vector<std::string> input_shapes;  // NAME:DIMS, checked when parsed
  std::optional<int64_t> fix_batch;
  bool fp16 = false;
  bool keep_io_types = false;
  std::string fp16_keep_ops;  // comma-separated op types
};

// Adds the options (group "Conversions") with their checks: a malformed NAME:DIMS, a batch below
// 1, an unknown op type in --fp16-keep-ops, or --keep-io-types/--fp16-keep-ops without --fp16 are
// usage errors.
void AddConversionOptions(CLI::App& app, ConversionOptions& options);

// The non-empty items of a comma-separated list ("a,,b" -> {a, b}); onnx-opt's list options.
std::vector<std::string> SplitCommaList(const std::string& list);

// Converts the opset and fixes input shapes, runs `manager`, converts to float16. Returns the
// pipeline's rewrites; errors say which conversion failed and leave nothing to write.
Result<size_t> RunWithConversions(PassManager& manager, Model& model, const ConversionOptions& options);

}  // namespace onnxkit::tools
