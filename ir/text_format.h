// The ONNX textual syntax (onnx/defs/parser.h and printer.h from libonnx), used by tests to write
// graphs compactly and by `onnx-opt --print`:
//
//   <ir_version: 8, opset_import: ["" : 17]>
//   main (float[N, 4] x) => (float[N, 4] y) {
//     t = Relu(x)
//     y = Identity(t)
//   }
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ir/model.h"
#include "ir/status.h"

namespace onnxkit {

Result<std::unique_ptr<Model>> ParseModelText(std::string_view text);

// The model header (ir_version, opset imports, producer), the main graph and model-local functions.
std::string PrintModelText(const Model& model);

}  // namespace onnxkit
