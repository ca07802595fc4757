#include "passes/fuse/fuse_consecutive_unsqueezes.h"

namespace onnxkit {

Result<size_t> FuseConsecutiveUnsqueezes::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
