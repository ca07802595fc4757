#include "tests/convert/convert_test_util.h"

#include <gtest/gtest.h>

#include <cmath>

#include "runtime/sample_data.h"
#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::testing {

runtime::Tensor ToFloat32(const runtime::Tensor& tensor) {
  if (!IsFloatingPoint(tensor.dtype()) || tensor.dtype() == DataType::kFloat) return tensor;
  std::vector<float> values(static_cast<size_t>(tensor.elementCount()));
  for (int64_t i = 0; i < tensor.elementCount(); ++i) values[static_cast<size_t>(i)] = static_cast<float>(tensor.elementAsDouble(i));
  return runtime::Tensor::FromVector(DataType::kFloat, tensor.shape(), values);
}

namespace {
runtime::Tensor ToFloat16(const runtime::Tensor& tensor) {
  std::vector<uint16_t> halves(static_cast<size_t>(tensor.elementCount()));
  for (int64_t i = 0; i < tensor.elementCount(); ++i)
    halves[static_cast<size_t>(i)] = FloatToHalf(static_cast<float>(tensor.elementAsDouble(i)));
  return runtime::Tensor::FromVector(DataType::kFloat16, tensor.shape(), halves);
}
}  // namespace

std::vector<runtime::NamedTensor> CastFeedsFor(const Model& model, const std::vector<runtime::NamedTensor>& feeds) {
  std::vector<runtime::NamedTensor> converted;
  for (const auto& [name, tensor] : feeds) {
    bool half = false;
    for (const Value* input : model.graph().inputs())
      if (input->name() == name && input->elemType() == DataType::kFloat16 && tensor.dtype() == DataType::kFloat)
        half = true;
    converted.emplace_back(name, half ? ToFloat16(tensor) : tensor);
  }
  return converted;
}

Result<std::vector<runtime::Tensor>> RunWithFloatIo(const Model& model, const std::vector<runtime::NamedTensor>& feeds) {
  ONNXKIT_ASSIGN_OR_RETURN(auto session, runtime::Session::Create(model));
  ONNXKIT_ASSIGN_OR_RETURN(auto outputs, session->run(CastFeedsFor(model, feeds)));
  for (auto& output : outputs)
    if (output.dtype() == DataType::kFloat16) output = ToFloat32(output);
  return outputs;
}

std::vector<Sample> FixtureSamples(const std::string& name, const Model& model) {
  std::vector<Sample> samples;
  auto session = runtime::Session::Create(model);
  EXPECT_TRUE(session.ok()) << session.message();
  if (!session.ok()) return samples;
  auto folders = runtime::ListSampleFolders(SourceDir() / "fixtures" / name);
  EXPECT_TRUE(folders.ok()) << folders.message();
  if (!folders.ok()) return samples;
  for (const auto& folder : *folders) {
    Sample sample;
    auto inputs = runtime::ReadSampleFolder(folder, (*session)->inputs());
    EXPECT_TRUE(inputs.ok()) << inputs.message();
    if (!inputs.ok()) continue;
    sample.inputs = std::move(*inputs);
    for (size_t i = 0;; ++i) {
      auto path = folder / fmt::format("output_{}.pb", i);
      if (!std::filesystem::exists(path)) break;
      auto output = runtime::ReadTensorFile(path);
      EXPECT_TRUE(output.ok()) << output.message();
      if (output.ok()) sample.outputs.push_back(std::move(*output));
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

uint64_t InitializerBytes(const Model& model, DataType type) {
  uint64_t bytes = 0;
  for (const Value* value : model.graph().initializers())
    if (value->initializer()->dtype() == type) bytes += value->initializer()->byteSize();
  return bytes;
}

double Cosine(const runtime::Tensor& a, const runtime::Tensor& b) {
  double dot = 0, norm_a = 0, norm_b = 0;
  for (int64_t i = 0; i < std::min(a.elementCount(), b.elementCount()); ++i) {
    double x = a.elementAsDouble(i), y = b.elementAsDouble(i);
    dot += x * y;
    norm_a += x * x;
    norm_b += y * y;
  }
  if (norm_a == 0 && norm_b == 0) return 1;
  return dot / std::sqrt(norm_a * norm_b);
}

}  // namespace onnxkit::testing
