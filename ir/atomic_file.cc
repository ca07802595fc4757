#include "ir/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>

namespace onnxkit {
namespace {
constexpr size_t kBufferSize = 1 << 20;
}

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::filesystem::path& destination) {
  std::error_code error;
  if (std::filesystem::is_directory(destination, error))
    return Status::Error("{}: is a folder, cannot write a file there", destination.string());
  std::filesystem::path folder = destination.parent_path();
  if (folder.empty()) folder = ".";
  if (!std::filesystem::is_directory(folder, error))
    return Status::Error("{}: cannot write: folder '{}' does not exist", destination.string(), folder.string());
  std::random_device random;
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::filesystem::path temporary = destination;
    temporary += fmt::format(".tmp-{}-{:08x}", getpid(), random());
    int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return std::unique_ptr<AtomicFile>(new AtomicFile(destination, temporary, fd));
    if (errno != EEXIST)
      return Status::Error("{}: cannot write: {}", destination.string(), std::strerror(errno));
  }
  return Status::Error("{}: cannot create a temporary file next to it", destination.string());
}

AtomicFile::AtomicFile(std::filesystem::path destination, std::filesystem::path temporary, int fd)
    : destination_(std::move(destination)), temporary_(std::move(temporary)), fd_(fd), buffer_(kBufferSize) {}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) close(fd_);
  if (!committed_) unlink(temporary_.c_str());
}

Status AtomicFile::writeDirect(const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd_, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error("{}: write failed: {}", destination_.string(), std::strerror(errno));
    }
    p += n;
    size -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status AtomicFile::flush() {
  if (buffered_ == 0) return Status::Ok();
  Status status = writeDirect(buffer_.data(), buffered_);
  buffered_ = 0;
  return status;
}

Status AtomicFile::write(const void* data, size_t size) {
  ONNXKIT_CHECK(!committed_ && fd_ >= 0, "write after commit");
  written_ += size;
  if (buffered_ + size <= buffer_.size()) {
    if (size) std::memcpy(buffer_.data() + buffered_, data, size);
    buffered_ += size;
    return Status::Ok();
  }
  ONNXKIT_RETURN_IF_ERROR(flush());
  if (size >= buffer_.size()) return writeDirect(data, size);
  std::memcpy(buffer_.data(), data, size);
  buffered_ = size;
  return Status::Ok();
}

Status AtomicFile::commit() {
  ONNXKIT_RETURN_IF_ERROR(flush());
  // The temporary file was created 0666 & ~umask, like any new file; keep that mode.
  if (close(fd_) != 0) {
    fd_ = -1;
    return Status::Error("{}: write failed: {}", destination_.string(), std::strerror(errno));
  }
  fd_ = -1;
  if (std::rename(temporary_.c_str(), destination_.c_str()) != 0)
    return Status::Error("{}: cannot replace: {}", destination_.string(), std::strerror(errno));
  committed_ = true;
  return Status::Ok();
}

Status WriteFileAtomically(const std::filesystem::path& destination, std::string_view bytes) {
  auto file = AtomicFile::Create(destination);
  if (!file.ok()) return file.status();
  ONNXKIT_RETURN_IF_ERROR((*file)->write(bytes));
  return (*file)->commit();
}

}  // namespace onnxkit
