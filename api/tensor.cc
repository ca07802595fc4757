// Public tensors: a shape and a shared, read-only storage; conversions to and from the runtime's
// tensors share the storage both ways.
#include "onnxkit/tensor.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>

#include "api/internal.h"
#include "ir/dtype.h"
#include "runtime/tensor_io.h"

namespace onnxkit::api {
namespace {

int64_t ElementCount(const std::vector<int64_t>& shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0) throw Error(fmt::format("tensor shape {} has a negative dim", runtime::ShapeToString(shape)));
    if (dim != 0 && count > std::numeric_limits<int64_t>::max() / dim)
      throw Error(fmt::format("tensor shape {} has too many elements", runtime::ShapeToString(shape)));
    count *= dim;
  }
  return count;
}

}  // namespace

std::string_view elementTypeName(ElementType type) { return DataTypeName(static_cast<DataType>(type)); }

size_t elementSize(ElementType type) { return ElementSize(static_cast<DataType>(type)); }

Tensor::Tensor() = default;

Tensor::Tensor(ElementType type, std::vector<int64_t> shape, std::shared_ptr<const void> storage, const void* data)
    : type_(type), shape_(std::move(shape)), element_count_(ElementCount(shape_)), storage_(std::move(storage)),
      data_(data) {}

Tensor::Tensor(ElementType type, std::vector<int64_t> shape, const void* data, size_t bytes) {
  if (type == ElementType::kString || elementSize(type) == 0)
    throw Error(fmt::format("tensors of element type {} are not supported by the API", elementTypeName(type)));
  int64_t count = ElementCount(shape);
  size_t expected = static_cast<size_t>(count) * elementSize(type);
  if (bytes != expected)
    throw Error(fmt::format("a {} tensor of shape {} needs {} bytes, got {}", elementTypeName(type),
                            runtime::ShapeToString(shape), expected, bytes));
  // operator new aligns to 16 bytes: enough for every element type.
  auto storage = std::make_shared<std::vector<std::byte>>(bytes);
  if (bytes) std::memcpy(storage->data(), data, bytes);
  type_ = type;
  shape_ = std::move(shape);
  element_count_ = count;
  data_ = storage->data();
  storage_ = std::move(storage);
}

namespace {
template <typename T>
Tensor FromVector(ElementType type, std::vector<int64_t> shape, std::vector<T> values) {
  int64_t count = ElementCount(shape);
  if (static_cast<size_t>(count) != values.size())
    throw Error(fmt::format("{} values do not fill a tensor of shape {} ({} elements)", values.size(),
                            runtime::ShapeToString(shape), count));
  auto storage = std::make_shared<const std::vector<T>>(std::move(values));
  runtime::Tensor view = runtime::Tensor::Wrap(static_cast<DataType>(type), std::move(shape), storage, storage->data());
  return TensorAccess::FromRuntime(std::move(view));
}
}  // namespace

Tensor Tensor::fromFloats(std::vector<int64_t> shape, std::vector<float> values) {
  return FromVector(ElementType::kFloat32, std::move(shape), std::move(values));
}

Tensor Tensor::fromInt64s(std::vector<int64_t> shape, std::vector<int64_t> values) {
  return FromVector(ElementType::kInt64, std::move(shape), std::move(values));
}

Tensor Tensor::load(const std::filesystem::path& path) {
  return Guard([&] { return TensorAccess::FromRuntime(Unwrap(runtime::ReadTensorFile(path))); });
}

void Tensor::saveNpy(const std::filesystem::path& path) const {
  Guard([&] { Check(runtime::WriteNpy(path, TensorAccess::ToRuntime(*this))); });
}

std::span<const float> Tensor::floats() const {
  if (type_ != ElementType::kFloat32)
    throw Error(fmt::format("floats() of a {} tensor (it needs float)", elementTypeName(type_)));
  return {static_cast<const float*>(data_), static_cast<size_t>(element_count_)};
}

double Tensor::at(int64_t i) const {
  if (i < 0 || i >= element_count_)
    throw Error(fmt::format("element {} of a tensor of {} elements", i, element_count_));
  return TensorAccess::ToRuntime(*this).elementAsDouble(i);
}

Tensor TensorAccess::FromRuntime(runtime::Tensor tensor) {
  if (!tensor.defined()) return Tensor();
  if (tensor.dtype() == DataType::kString) throw Error("string tensors are not supported by the API");
  auto holder = std::make_shared<const runtime::Tensor>(std::move(tensor));
  std::shared_ptr<const void> storage(holder, holder->raw());
  return Tensor(static_cast<ElementType>(holder->dtype()), holder->shape(), storage, holder->raw());
}

runtime::Tensor TensorAccess::ToRuntime(const Tensor& tensor) {
  if (!tensor.defined()) return runtime::Tensor();
  return runtime::Tensor::Wrap(static_cast<DataType>(tensor.type_), tensor.shape_, tensor.storage_, tensor.data_);
}

}  // namespace onnxkit::api
