#include "passes/cleanup/eliminate_noop_expand.h"

namespace onnxkit {

Result<size_t> EliminateNoopExpand::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
