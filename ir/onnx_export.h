// IR -> ModelProto. Large tensor bytes are not copied into the proto: they become raw-data
// placeholders with the bytes listed in `slices`, for WriteSpliced (ir/raw_data_splice.h) to
// stream out; or they are placed in an external data file when the caller says so.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/model.h"
#include "ir/raw_data_splice.h"

namespace onnxkit {

struct ExternalPlacement {
  std::string location;  // file name relative to the model's folder
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct ExportOptions {
  // Bytes of at least this size become placeholders; smaller ones are copied into raw_data.
  // SIZE_MAX copies everything (for an in-memory proto).
  size_t placeholder_minimum_bytes = kMinimumCutRawDataBytes;
  // Asked for every tensor with raw bytes: a placement puts the tensor in an external file.
  std::function<std::optional<ExternalPlacement>(const Tensor&)> place_externally;
};

struct ExportedModel {
  onnx::ModelProto proto;
  std::vector<SharedBytes> slices;
};

ExportedModel ExportModel(const Model& model, const ExportOptions& options = {});

// A graph alone (used for printing and by passes that need a GraphProto), all data inline.
onnx::GraphProto ExportGraph(const Graph& graph);

}  // namespace onnxkit
