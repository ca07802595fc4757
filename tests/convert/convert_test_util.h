// Shared by the conversion tests: running a model whose inputs/outputs may have become float16 on
// the same float32 data, and the fixtures' reference samples.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ir/model.h"
#include "runtime/session.h"

namespace onnxkit::testing {

// A float32 copy of a float16/float32/float64 tensor (other types are returned unchanged).
runtime::Tensor ToFloat32(const runtime::Tensor& tensor);

// `feeds` with float32 tensors converted to float16 where `model` declares a float16 input.
std::vector<runtime::NamedTensor> CastFeedsFor(const Model& model, const std::vector<runtime::NamedTensor>& feeds);

// Runs `model` on `feeds`, first converting float32 feeds to float16 where the model declares a
// float16 input; the outputs come back as float32 where they were float16.
Result<std::vector<runtime::Tensor>> RunWithFloatIo(const Model& model, const std::vector<runtime::NamedTensor>& feeds);

struct Sample {
  std::vector<runtime::NamedTensor> inputs;
  std::vector<runtime::Tensor> outputs;  // the reference outputs (PyTorch), graph-output order
};
// fixtures/<name>/test_data_set_*/ read for `model`'s inputs.
std::vector<Sample> FixtureSamples(const std::string& name, const Model& model);

// Bytes of the main graph's initializers of this element type.
uint64_t InitializerBytes(const Model& model, DataType type);

// Cosine similarity of two float tensors of the same element count (1 for two zero tensors).
double Cosine(const runtime::Tensor& a, const runtime::Tensor& b);

}  // namespace onnxkit::testing
