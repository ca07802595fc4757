#include "passes/cleanup/eliminate_noop_flatten.h"

namespace onnxkit {

Result<size_t> EliminateNoopFlatten::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
