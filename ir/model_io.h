// Loading and saving .onnx files.
//
// Load maps the file and cuts large tensor bytes out before protobuf parses the rest, so the
// weights of a large model are referenced from the page cache, never copied. Save streams the
// model out with the bytes spliced back in, through an atomic write (temporary file + rename).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "ir/model.h"
#include "ir/shared_bytes.h"
#include "ir/status.h"

namespace onnxkit {

// Errors name the file and the problem (missing, a folder, not a protobuf, truncated, unsupported
// IR version, unreadable external data).
Result<std::unique_ptr<Model>> LoadModel(const std::filesystem::path& path);
// A serialized ModelProto; external data is resolved in `folder` (empty: external data is an error).
Result<std::unique_ptr<Model>> LoadModelFromBytes(const SharedBytes& bytes, const std::filesystem::path& folder = {});

// Largest protobuf message: 2 GiB - 1.
constexpr uint64_t kProtobufLimitBytes = 2147483647;

struct SaveOptions {
  // When set, tensors of at least this many bytes go to an external data file next to the model.
  std::optional<uint64_t> external_data_threshold;
  // A model file larger than this gets external data automatically (tests lower it).
  uint64_t size_limit_bytes = kProtobufLimitBytes;
  // Called as the bytes stream out (model and external data file together), e.g. for a progress bar.
  std::function<void(uint64_t bytes_written, uint64_t total_bytes)> progress;
};

struct SaveReport {
  uint64_t model_bytes = 0;
  uint64_t external_data_bytes = 0;
  std::filesystem::path external_data_file;  // empty when everything is inline
  // True when external data was chosen because the model would exceed protobuf's 2 GiB limit.
  bool external_data_forced_by_size = false;
};

// Tensors that were external when loaded stay external, as do those above the threshold; they go
// to "<model file name>.data" in the model's folder, each at a 64-byte-aligned offset.
Result<SaveReport> SaveModel(const Model& model, const std::filesystem::path& path, const SaveOptions& options = {});

// The model as one serialized ModelProto with every tensor inline (errors above 2 GiB).
Result<std::string> SerializeModel(const Model& model);

}  // namespace onnxkit
