// Errors as values. Library code returns Status or Result<T>; only the tools turn an error into an
// exit code and a line on stderr. Messages are complete sentences fragments that name what failed
// (file, node, op, value), e.g. "node 'conv1' (Conv): input 1 'w' is not defined".
#pragma once

#include <cassert>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace onnxkit {

class [[nodiscard]] Status {
 public:
  Status() = default;  // success
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }
  template <typename... Args>
  static Status Error(fmt::format_string<Args...> format, Args&&... args) {
    return Status(fmt::format(format, std::forward<Args>(args)...));
  }

  bool ok() const { return !message_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }
  // Prefixes context ("loading model.onnx: ") to an error; success stays success.
  Status WithContext(std::string_view context) const {
    if (ok()) return *this;
    return Status(fmt::format("{}: {}", context, *message_));
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// A value or an error. Kept minimal: construct from T or from an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status error) : data_(std::move(error)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok() && "Result built from a success Status");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }
  const std::string& message() const { return std::get<Status>(data_).message(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

// Thrown only for broken internal invariants (a bug in this project, never bad input).
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

#define ONNXKIT_CHECK(condition, ...)                                                          \
  do {                                                                                        \
    if (!(condition))                                                                         \
      throw ::onnxkit::InternalError(                                                         \
          fmt::format("internal error at {}:{}: {}", __FILE__, __LINE__, fmt::format(__VA_ARGS__))); \
  } while (false)

#define ONNXKIT_RETURN_IF_ERROR(expression)   \
  do {                                        \
    ::onnxkit::Status status_ = (expression); \
    if (!status_.ok()) return status_;        \
  } while (false)

#define ONNXKIT_CONCAT_INNER(a, b) a##b
#define ONNXKIT_CONCAT(a, b) ONNXKIT_CONCAT_INNER(a, b)
// ONNXKIT_ASSIGN_OR_RETURN(auto x, MakeX()); — binds the value or returns the error. It expands to
// several statements: put braces around it under an if or else.
#define ONNXKIT_ASSIGN_OR_RETURN(declaration, expression)                      \
  auto ONNXKIT_CONCAT(result_, __LINE__) = (expression);                       \
  if (!ONNXKIT_CONCAT(result_, __LINE__).ok())                                 \
    return ONNXKIT_CONCAT(result_, __LINE__).status();                         \
  declaration = std::move(ONNXKIT_CONCAT(result_, __LINE__)).value()

}  // namespace onnxkit
