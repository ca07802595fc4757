#include "onnxkit/error.h"

#include "api/internal.h"
#include "onnxkit/version.h"

namespace onnxkit::api {

Error::Error(const std::string& message) : std::runtime_error(message) {}
Error::~Error() = default;

void Throw(const Status& status) { throw Error(status.message()); }

std::string_view version() { return ONNXKIT_VERSION_STRING; }

}  // namespace onnxkit::api
