#include "runtime/tensor.h"

#include <atomic>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <limits>

#include <unistd.h>

namespace onnxkit::runtime {
namespace {
std::atomic<uint64_t> g_tensor_byte_limit{uint64_t{16} << 30};  // 16 GiB
std::atomic<uint64_t> g_total_byte_limit{0};  // 0: not set yet, see TotalTensorByteLimit()
std::atomic<uint64_t> g_live_bytes{0};
std::atomic<uint64_t> g_peak_bytes{0};

uint64_t PhysicalMemoryBytes() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return uint64_t{64} << 30;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

// Reserves `bytes` against the total limit; false (and nothing reserved) when it would pass it.
bool CountAllocation(uint64_t bytes) {
  uint64_t limit = TotalTensorByteLimit();
  uint64_t live = g_live_bytes.fetch_add(bytes) + bytes;
  if (live > limit) {
    g_live_bytes.fetch_sub(bytes);
    return false;
  }
  uint64_t peak = g_peak_bytes.load();
  while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live)) {
  }
  return true;
}

struct AlignedFree {
  uint64_t bytes;
  void operator()(void* p) const {
    g_live_bytes.fetch_sub(bytes);
    std::free(p);
  }
};
}  // namespace

uint64_t TensorByteLimit() { return g_tensor_byte_limit.load(); }
void SetTensorByteLimit(uint64_t bytes) { g_tensor_byte_limit.store(bytes); }
uint64_t TotalTensorByteLimit() {
  uint64_t limit = g_total_byte_limit.load();
  if (limit == 0) {
    limit = PhysicalMemoryBytes() / 10 * 9;
    g_total_byte_limit.store(limit);
  }
  return limit;
}
void SetTotalTensorByteLimit(uint64_t bytes) { g_total_byte_limit.store(bytes); }
uint64_t LiveTensorBytes() { return g_live_bytes.load(); }
uint64_t PeakTensorBytes() { return g_peak_bytes.load(); }
void ResetPeakTensorBytes() { g_peak_bytes.store(g_live_bytes.load()); }

Result<Tensor> Tensor::Allocate(DataType type, Shape shape) {
  auto count = CheckedElementCount(shape);
  if (!count.ok()) return Status::Error("cannot allocate a tensor of shape {}: {}", ShapeToString(shape), count.message());
  Tensor tensor;
  tensor.dtype_ = type;
  tensor.element_count_ = *count;
  if (type == DataType::kString) {
    if (static_cast<uint64_t>(*count) > TensorByteLimit() / sizeof(std::string))
      return Status::Error("tensor of shape {} exceeds the memory limit", ShapeToString(shape));
    tensor.strings_ = std::make_shared<std::vector<std::string>>(static_cast<size_t>(*count));
    tensor.shape_ = std::move(shape);
    tensor.writable_ = true;
    return tensor;
  }
  size_t element_size = ElementSize(type);
  if (element_size == 0) return Status::Error("cannot allocate a tensor of type {}", DataTypeName(type));
  uint64_t limit = TensorByteLimit();
  if (static_cast<uint64_t>(*count) > limit / element_size)
    return Status::Error("tensor {}[{}] needs more than the {} MiB limit for one tensor", DataTypeName(type),
                         ShapeToString(shape), limit >> 20);
  size_t bytes = static_cast<size_t>(*count) * element_size;
  size_t rounded = (bytes + 63) / 64 * 64;
  if (!CountAllocation(rounded))
    return Status::Error("tensor {}[{}] would take the live tensors past the {} MiB total memory limit",
                         DataTypeName(type), ShapeToString(shape), TotalTensorByteLimit() >> 20);
  void* memory = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
  if (!memory) {
    g_live_bytes.fetch_sub(rounded);
    return Status::Error("out of memory allocating {} bytes for a tensor", bytes);
  }
  tensor.owner_ = std::shared_ptr<void>(memory, AlignedFree{rounded});
  tensor.data_ = memory;
  tensor.writable_ = true;
  tensor.shape_ = std::move(shape);
  return tensor;
}

Result<Tensor> Tensor::Zeros(DataType type, Shape shape) {
  auto tensor = Allocate(type, std::move(shape));
  if (tensor.ok() && type != DataType::kString && tensor->byteSize()) std::memset(tensor->mutableRaw(), 0, tensor->byteSize());
  return tensor;
}

Tensor Tensor::Wrap(DataType type, Shape shape, std::shared_ptr<const void> owner, const void* data) {
  auto count = CheckedElementCount(shape);
  ONNXKIT_CHECK(count.ok(), "Wrap: bad shape {}", ShapeToString(shape));
  size_t element_size = ElementSize(type);
  ONNXKIT_CHECK(element_size == 0 || reinterpret_cast<uintptr_t>(data) % element_size == 0,
                "Wrap: data not aligned to {} bytes", element_size);
  Tensor tensor;
  tensor.dtype_ = type;
  tensor.shape_ = std::move(shape);
  tensor.element_count_ = *count;
  tensor.owner_ = std::move(owner);
  tensor.data_ = const_cast<void*>(data);
  tensor.writable_ = false;
  return tensor;
}

Tensor Tensor::Strings(Shape shape, std::vector<std::string> values) {
  Tensor tensor;
  tensor.dtype_ = DataType::kString;
  tensor.shape_ = std::move(shape);
  tensor.element_count_ = static_cast<int64_t>(values.size());
  tensor.strings_ = std::make_shared<std::vector<std::string>>(std::move(values));
  tensor.writable_ = true;
  return tensor;
}

Tensor Tensor::Scalar(float value) { return FromVector<float>(DataType::kFloat, {}, {value}); }

Tensor Tensor::reshaped(Shape shape) const {
  auto count = CheckedElementCount(shape);
  ONNXKIT_CHECK(count.ok() && *count == element_count_, "reshaped: {} elements into shape {}", element_count_,
                ShapeToString(shape));
  Tensor view = *this;
  view.shape_ = std::move(shape);
  return view;
}

Result<Tensor> Tensor::clone() const {
  if (dtype_ == DataType::kString) return Strings(shape_, *strings_);
  auto copy = Allocate(dtype_, shape_);
  if (copy.ok() && byteSize()) std::memcpy(copy->mutableRaw(), data_, byteSize());
  return copy;
}

double Tensor::elementAsDouble(int64_t i) const {
  switch (dtype_) {
    case DataType::kFloat: return data<float>()[i];
    case DataType::kDouble: return data<double>()[i];
    case DataType::kFloat16: return static_cast<float>(data<Float16>()[i]);
    case DataType::kBfloat16: return static_cast<float>(data<BFloat16>()[i]);
    case DataType::kInt8: return data<int8_t>()[i];
    case DataType::kUint8: return data<uint8_t>()[i];
    case DataType::kBool: return data<uint8_t>()[i] != 0;
    case DataType::kInt16: return data<int16_t>()[i];
    case DataType::kUint16: return data<uint16_t>()[i];
    case DataType::kInt32: return data<int32_t>()[i];
    case DataType::kUint32: return data<uint32_t>()[i];
    case DataType::kInt64: return static_cast<double>(data<int64_t>()[i]);
    case DataType::kUint64: return static_cast<double>(data<uint64_t>()[i]);
    default: ONNXKIT_CHECK(false, "elementAsDouble on {}", DataTypeName(dtype_));
  }
  return 0;
}

int64_t Tensor::elementAsInt64(int64_t i) const {
  switch (dtype_) {
    case DataType::kInt8: return data<int8_t>()[i];
    case DataType::kUint8: return data<uint8_t>()[i];
    case DataType::kBool: return data<uint8_t>()[i] != 0;
    case DataType::kInt16: return data<int16_t>()[i];
    case DataType::kUint16: return data<uint16_t>()[i];
    case DataType::kInt32: return data<int32_t>()[i];
    case DataType::kUint32: return data<uint32_t>()[i];
    case DataType::kInt64: return data<int64_t>()[i];
    case DataType::kUint64: return static_cast<int64_t>(data<uint64_t>()[i]);
    default: {
      // Floats: truncate, saturating at the int64 range; NaN gives 0 (a plain cast would be undefined).
      double value = elementAsDouble(i);
      if (std::isnan(value)) return 0;
      if (value >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
      if (value <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
      return static_cast<int64_t>(value);
    }
  }
}

std::string ShapeToString(std::span<const int64_t> shape) {
  std::string out;
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + std::to_string(shape[i]);
  return out;
}

std::string DescribeTensor(const Tensor& tensor) {
  return fmt::format("{}[{}]", DataTypeName(tensor.dtype()), ShapeToString(tensor.shape()));
}

}  // namespace onnxkit::runtime
