#include "passes/fuse/replace_div_by_constant.h"

namespace onnxkit {

Result<size_t> ReplaceDivByConstant::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
