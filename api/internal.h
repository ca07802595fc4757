// What the API's implementation shares: the representation behind the public handles, the
// conversions between public and internal types, and the translation of internal errors (Status,
// Result, InternalError) into onnxkit::api::Error at the library's boundary.
#pragma once

#include <memory>
#include <new>
#include <utility>

#include "ir/model.h"
#include "ir/status.h"
#include "onnxkit/error.h"
#include "onnxkit/model.h"
#include "onnxkit/tensor.h"
#include "runtime/session.h"
#include "runtime/tensor.h"

namespace onnxkit::api {

struct Model::Impl {
  explicit Impl(std::unique_ptr<onnxkit::Model> m) : model(std::move(m)) {}
  std::unique_ptr<onnxkit::Model> model;
};

struct ModelAccess {
  static Model Wrap(std::unique_ptr<onnxkit::Model> model);
  // Throws Error for a moved-from Model.
  static const onnxkit::Model& Get(const Model& model);
  // For a transformation: copies the representation first when a Session still shares it.
  static onnxkit::Model& Mutable(Model& model);
  static std::shared_ptr<const Model::Impl> Share(const Model& model);
};

struct TensorAccess {
  // Shares the runtime tensor's storage; throws Error for a string tensor.
  static Tensor FromRuntime(runtime::Tensor tensor);
  // A read-only runtime view of the tensor's storage.
  static runtime::Tensor ToRuntime(const Tensor& tensor);
};

ValueInfo ToValueInfo(const runtime::ValueSpec& spec);

// A deep copy through serialization (every tensor inline).
std::unique_ptr<onnxkit::Model> CloneModel(const onnxkit::Model& model);

[[noreturn]] void Throw(const Status& status);
inline void Check(const Status& status) {
  if (!status.ok()) Throw(status);
}
template <typename T>
T Unwrap(Result<T> result) {
  if (!result.ok()) Throw(result.status());
  return std::move(result).value();
}

// Runs `body`; an internal exception (InternalError: a bug) becomes an Error with its message.
template <typename Body>
auto Guard(Body&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(e.what());
  }
}

}  // namespace onnxkit::api
