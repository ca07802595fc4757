// Fixing dynamic dimensions of graph inputs: onnx-opt --overwrite-input-shape NAME:1,3,224,224
// and --fix-batch N.
//
// Before:  graph (float[N,3,8,8] x) => (float[N,10] y) { ... value_info: float[N,192] t ... }
// After (--fix-batch 2):
//          graph (float[2,3,8,8] x) => (float[2,10] y) { ... value_info: float[2,192] t ... }
//
// 1. An override names a graph input and gives every dim; a dim that is static in the model must
//    keep its value (only symbolic or unknown dims can be fixed). --fix-batch sets dim 0 of every
//    input whose dim 0 is symbolic or unknown (inputs named by an override keep the override).
// 2. A symbolic dim is one size across the model (ONNX's dim_param semantics): fixing `batch` in
//    one input fixes `batch` in every other input and in the output declarations; two different
//    values for one name are an error.
// 3. The shapes recorded for intermediate values (value_info, including subgraphs) were derived
//    from the dynamic inputs and are cleared (element types stay); ONNX shape inference then
//    derives them again from the fixed inputs, and output dims it now knows are written into the
//    output declarations. fold-shapes can then fold Shape/Gather/... chains over the fixed dims.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

struct InputShapeOverride {
  std::string name;
  std::vector<int64_t> dims;
};

// "NAME:1,3,224,224" (the last ':' separates the name, which may contain ':'). A scalar input is
// "NAME:" with no dims. Dims are non-negative integers.
Result<InputShapeOverride> ParseInputShapeOverride(std::string_view text);

struct FixInputShapesOptions {
  std::vector<InputShapeOverride> overrides;
  std::optional<int64_t> batch;
};

struct FixInputShapesReport {
  size_t dims_fixed = 0;           // graph-input dims that were symbolic or unknown and now have a value
  size_t shapes_cleared = 0;       // intermediate values whose recorded shape was cleared
  size_t output_dims_fixed = 0;    // output-declaration dims that now have a value
};

// Errors (the model is unchanged then): an override naming no graph input, an override whose
// rank differs from the declared rank, a fixed dim that differs from a static one, one symbolic
// name given two values.
Result<FixInputShapesReport> FixInputShapes(Model& model, const FixInputShapesOptions& options);

}  // namespace onnxkit
