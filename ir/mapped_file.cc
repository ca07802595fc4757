#include "ir/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace onnxkit {
namespace {

class Mapping {
 public:
  Mapping(void* address, size_t size) : address_(address), size_(size) {}
  ~Mapping() { munmap(address_, size_); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  const std::byte* data() const { return static_cast<const std::byte*>(address_); }

 private:
  void* address_;
  size_t size_;
};

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Result<SharedBytes> ReadWhole(int fd, const std::filesystem::path& path) {
  std::vector<std::byte> bytes;
  std::byte chunk[1 << 16];
  for (;;) {
    ssize_t n = read(fd, chunk, sizeof(chunk));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error("{}: cannot read: {}", path.string(), std::strerror(errno));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  return SharedBytes::FromVector(std::move(bytes));
}

}  // namespace

Result<SharedBytes> MapFile(const std::filesystem::path& path) {
  FileDescriptor fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int error = errno;
    if (error == ENOENT) return Status::Error("{}: no such file", path.string());
    return Status::Error("{}: cannot open: {}", path.string(), std::strerror(error));
  }
  struct stat info {};
  if (fstat(fd.get(), &info) != 0)
    return Status::Error("{}: cannot stat: {}", path.string(), std::strerror(errno));
  if (S_ISDIR(info.st_mode)) return Status::Error("{}: is a folder, not a file", path.string());
  if (!S_ISREG(info.st_mode)) return ReadWhole(fd.get(), path);  // pipes, character devices
  size_t size = static_cast<size_t>(info.st_size);
  if (size == 0) return SharedBytes();
  void* address = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (address == MAP_FAILED) return ReadWhole(fd.get(), path);
  auto mapping = std::make_shared<const Mapping>(address, size);
  return SharedBytes(mapping, mapping->data(), size);
}

}  // namespace onnxkit
