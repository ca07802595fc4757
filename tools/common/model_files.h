// Loading and saving models in the tools, with a progress bar for large files (only where
// ProgressBar draws one: stderr a terminal, not CI, not --quiet).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "ir/model_io.h"

namespace onnxkit::tools {

// Files below this size load and save too fast for a bar to help.
inline constexpr uint64_t kProgressMinimumBytes = uint64_t{64} << 20;

// LoadModel, with "loading NAME" shown for a large file.
Result<std::unique_ptr<Model>> LoadModelWithProgress(const std::filesystem::path& path);

// SaveModel, with a bar over the bytes written for a large model.
Result<SaveReport> SaveModelWithProgress(const Model& model, const std::filesystem::path& path,
                                         SaveOptions options = {});

}  // namespace onnxkit::tools
