#include "passes/cleanup/eliminate_unsqueeze_squeeze.h"

namespace onnxkit {

Result<size_t> EliminateUnsqueezeSqueeze::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
