// onnxkit: load, optimize, run, compare and quantize ONNX models from C++.
//
//   #include <onnxkit/onnxkit.h>
//   namespace ok = onnxkit::api;
//
//   ok::Model model = ok::Model::load("model.onnx");       // throws ok::Error on failure
//   ok::Model original = model.clone();
//   ok::optimize(model, {.level = 2});
//   ok::Comparison check = ok::compareModels(original, model);
//   if (check.passed()) model.save("model.opt.onnx");
//
//   ok::Session session(model);
//   ok::NamedTensors outputs = session.run({{"x", ok::Tensor::fromFloats({1, 4}, {1, 2, 3, 4})}});
//
// CMake: find_package(onnxkit REQUIRED) and target_link_libraries(app PRIVATE onnxkit::onnxkit).
// The API lives in namespace onnxkit::api; see each header for the details.
#pragma once

#include "onnxkit/error.h"
#include "onnxkit/model.h"
#include "onnxkit/passes.h"
#include "onnxkit/quantize.h"
#include "onnxkit/runtime.h"
#include "onnxkit/tensor.h"
#include "onnxkit/version.h"
