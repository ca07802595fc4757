// Counts that describe a model: nodes per op type (subgraphs included), parameters and bytes of
// initializers. Used by `onnx-opt --stats` and onnx-info.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "ir/model.h"

namespace onnxkit {

struct ModelStatistics {
  std::map<std::string, int64_t> nodes_per_op;  // "Conv", "com.microsoft.FusedConv", ...
  int64_t node_count = 0;
  int64_t initializer_count = 0;
  int64_t parameter_count = 0;  // elements of all initializers
  int64_t initializer_bytes = 0;
};

ModelStatistics ComputeStatistics(const Model& model);

}  // namespace onnxkit
