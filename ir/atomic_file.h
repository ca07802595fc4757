// Writes a file atomically: bytes go to a temporary file in the destination's folder, which
// replaces the destination by rename() only on commit(). A failure, or an AtomicFile destroyed
// without commit(), removes the temporary file, so a partial output never exists and rewriting
// a model in place (`onnx-opt m.onnx m.onnx`) is safe, even while the old file is memory-mapped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ir/status.h"

namespace onnxkit {

class AtomicFile {
 public:
  static Result<std::unique_ptr<AtomicFile>> Create(const std::filesystem::path& destination);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Buffered; large blocks go straight to the file.
  Status write(const void* data, size_t size);
  Status write(std::string_view bytes) { return write(bytes.data(), bytes.size()); }
  uint64_t bytesWritten() const { return written_; }
  // Flushes, closes and renames over the destination.
  Status commit();
  const std::filesystem::path& destination() const { return destination_; }

 private:
  AtomicFile(std::filesystem::path destination, std::filesystem::path temporary, int fd);
  Status flush();
  Status writeDirect(const void* data, size_t size);

  std::filesystem::path destination_;
  std::filesystem::path temporary_;
  int fd_;
  std::vector<char> buffer_;
  size_t buffered_ = 0;
  uint64_t written_ = 0;
  bool committed_ = false;
};

// Convenience: writes `bytes` to `destination` atomically.
Status WriteFileAtomically(const std::filesystem::path& destination, std::string_view bytes);

}  // namespace onnxkit
