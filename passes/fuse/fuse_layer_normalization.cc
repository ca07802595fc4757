#include "passes/fuse/fuse_layer_normalization.h"

namespace onnxkit {

Result<size_t> FuseLayerNormalization::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
