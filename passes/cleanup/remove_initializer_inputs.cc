#include "passes/cleanup/remove_initializer_inputs.h"

namespace onnxkit {

Result<size_t> RemoveInitializerInputs::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
