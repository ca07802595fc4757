#include "passes/fuse_ort/fuse_skip_layer_normalization_ort.h"

namespace onnxkit {

Result<size_t> FuseSkipLayerNormalizationOrt::run(Model& model) { return size_t{0}; }

}  // namespace onnxkit
