// A read-only byte range kept alive by whatever owns the memory: a memory-mapped model file, a
// std::string moved out of a protobuf message, or a vector a pass filled. Copying a SharedBytes
// copies a pointer, never the bytes; this is how initializers of a several-hundred-MB model stay
// in the page cache instead of being duplicated on load and save.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace onnxkit {

class SharedBytes {
 public:
  SharedBytes() = default;
  SharedBytes(std::shared_ptr<const void> owner, const std::byte* data, size_t size)
      : owner_(std::move(owner)), data_(data), size_(size) {}

  // Takes the string's buffer (a move, no copy of the bytes).
  static SharedBytes FromString(std::string&& bytes) {
    auto owner = std::make_shared<const std::string>(std::move(bytes));
    return SharedBytes(owner, reinterpret_cast<const std::byte*>(owner->data()), owner->size());
  }
  static SharedBytes FromVector(std::vector<std::byte>&& bytes) {
    auto owner = std::make_shared<const std::vector<std::byte>>(std::move(bytes));
    return SharedBytes(owner, owner->data(), owner->size());
  }
  static SharedBytes Copy(const void* data, size_t size) {
    std::vector<std::byte> bytes(size);
    if (size) std::memcpy(bytes.data(), data, size);
    return FromVector(std::move(bytes));
  }

  const std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::byte> span() const { return {data_, size_}; }
  std::string_view view() const { return {reinterpret_cast<const char*>(data_), size_}; }
  // A sub-range sharing the same owner.
  SharedBytes Slice(size_t offset, size_t size) const { return SharedBytes(owner_, data_ + offset, size); }

 private:
  std::shared_ptr<const void> owner_;
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace onnxkit
