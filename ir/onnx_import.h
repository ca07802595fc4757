// ModelProto -> IR. Names become Value pointers, scoped like ONNX: a subgraph sees the values of
// its enclosing graphs. The importer is lenient about graph validity (a name nothing defines
// becomes an undefined Value, duplicates become two Values); the verifier reports such problems
// with messages that name the node and the value.
#pragma once

#include <functional>
#include <memory>
#include <span>

#include <onnx/onnx_pb.h>

#include "ir/model.h"
#include "ir/shared_bytes.h"
#include "ir/status.h"

namespace onnxkit {

struct ImportSources {
  // Bytes cut out of the file by CutRawData, indexed by raw-data placeholders.
  std::span<const SharedBytes> raw_data_slices;
  // Resolves a tensor whose data_location is EXTERNAL to its bytes; absent: such tensors are an error.
  std::function<Result<SharedBytes>(const onnx::TensorProto&)> external_data;
};

Result<std::unique_ptr<Model>> ImportModel(onnx::ModelProto proto, const ImportSources& sources = {});

// A TensorProto (with a placeholder or external data resolved through `sources`) -> Tensor.
Result<TensorPtr> ImportTensor(onnx::TensorProto proto, const ImportSources& sources);

// IR versions this build reads.
constexpr int64_t kMinimumIrVersion = 3;
constexpr int64_t kMaximumIrVersion = 11;

}  // namespace onnxkit
