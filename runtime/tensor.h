// The runtime's tensor: element type, shape, and contiguous row-major storage. Storage is shared
// and reference-counted; a tensor made by Wrap() views memory owned elsewhere (an initializer of
// the model, a memory-mapped file) and is read-only. Kernels allocate outputs through their
// KernelContext and temporaries through Tensor::Allocate, both of which check sizes against the
// memory limit, so a hostile shape gives an error instead of a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "ir/status.h"
#include "runtime/half.h"

namespace onnxkit::runtime {

using Shape = std::vector<int64_t>;

// Largest single tensor the runtime allocates (bytes); larger requests fail with a clear error.
uint64_t TensorByteLimit();
void SetTensorByteLimit(uint64_t bytes);

// Largest total of live tensor storage (bytes): an allocation that would pass it fails with a clear
// error instead of the process being killed by the system. Defaults to 90% of physical memory.
uint64_t TotalTensorByteLimit();
void SetTotalTensorByteLimit(uint64_t bytes);

// Bytes of tensor storage allocated by Tensor::Allocate and not yet freed, and the highest value
// since the last reset: how a test sees that intermediates are freed after their last use.
uint64_t LiveTensorBytes();
uint64_t PeakTensorBytes();
void ResetPeakTensorBytes();

class Tensor {
 public:
  Tensor() = default;

  // Uninitialized storage (64-byte aligned). Fails for negative dims, overflow, or above the limit.
  static Result<Tensor> Allocate(DataType type, Shape shape);
  static Result<Tensor> Zeros(DataType type, Shape shape);
  // A read-only view of memory kept alive by `owner`. `data` must be aligned to the element size.
  static Tensor Wrap(DataType type, Shape shape, std::shared_ptr<const void> owner, const void* data);
  static Tensor Strings(Shape shape, std::vector<std::string> values);
  template <typename T>
  static Tensor FromVector(DataType type, Shape shape, const std::vector<T>& values);
  static Tensor Scalar(float value);

  bool defined() const { return dtype_ != DataType::kUndefined; }
  DataType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t dim(size_t i) const { return shape_[i]; }
  int64_t elementCount() const { return element_count_; }
  size_t byteSize() const { return static_cast<size_t>(element_count_) * ElementSize(dtype_); }

  template <typename T>
  const T* data() const {
    return static_cast<const T*>(data_);
  }
  template <typename T>
  T* mutableData() {
    ONNXKIT_CHECK(writable_, "writing to a read-only tensor");
    return static_cast<T*>(data_);
  }
  const void* raw() const { return data_; }
  void* mutableRaw() {
    ONNXKIT_CHECK(writable_, "writing to a read-only tensor");
    return data_;
  }
  bool writable() const { return writable_; }

  const std::vector<std::string>& strings() const { return *strings_; }
  std::vector<std::string>& mutableStrings() { return *strings_; }

  // The same storage under another shape with the same element count (no copy).
  Tensor reshaped(Shape shape) const;
  // A writable deep copy.
  Result<Tensor> clone() const;

  // Element i as double / int64 (any numeric type); for tests, messages and small helpers.
  double elementAsDouble(int64_t i) const;
  int64_t elementAsInt64(int64_t i) const;

 private:
  DataType dtype_ = DataType::kUndefined;
  Shape shape_;
  int64_t element_count_ = 0;
  std::shared_ptr<const void> owner_;
  void* data_ = nullptr;
  bool writable_ = false;
  std::shared_ptr<std::vector<std::string>> strings_;
};

template <typename T>
Tensor Tensor::FromVector(DataType type, Shape shape, const std::vector<T>& values) {
  auto tensor = Allocate(type, std::move(shape));
  ONNXKIT_CHECK(tensor.ok() && static_cast<size_t>(tensor->elementCount()) == values.size() &&
                    sizeof(T) == ElementSize(type),
                "FromVector: shape, type and values disagree");
  if (!values.empty()) std::memcpy(tensor->mutableRaw(), values.data(), values.size() * sizeof(T));
  return std::move(tensor).value();
}

// "float[1,3,224,224]"
std::string DescribeTensor(const Tensor& tensor);
std::string ShapeToString(std::span<const int64_t> shape);

}  // namespace onnxkit::runtime
