#include "tools/common/model_files.h"

#include <optional>

#include "tools/common/progress.h"

namespace onnxkit::tools {

Result<std::unique_ptr<Model>> LoadModelWithProgress(const std::filesystem::path& path) {
  std::error_code error;
  uint64_t size = std::filesystem::file_size(path, error);
  if (error || size < kProgressMinimumBytes || !ProgressBar::Enabled()) return LoadModel(path);
  // LoadModel maps the file and parses all but the tensor bytes in one call: the bar shows the
  // phase and its size, and fills when it is done.
  ProgressBar bar("loading " + path.filename().string(), ProgressBar::Unit::kBytes);
  bar.update(0, size);
  auto model = LoadModel(path);
  if (model.ok()) bar.update(size, size);
  return model;
}

Result<SaveReport> SaveModelWithProgress(const Model& model, const std::filesystem::path& path, SaveOptions options) {
  if (!ProgressBar::Enabled()) return SaveModel(model, path, options);
  std::optional<ProgressBar> bar;
  options.progress = [&](uint64_t written, uint64_t total) {
    if (total < kProgressMinimumBytes) return;
    if (!bar) bar.emplace("saving " + path.filename().string(), ProgressBar::Unit::kBytes);
    bar->update(written, total);
  };
  return SaveModel(model, path, options);
}

}  // namespace onnxkit::tools
