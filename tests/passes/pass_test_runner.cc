#include "tests/passes/pass_test_runner.h"

#include <gtest/gtest.h>

#include <cstring>

#include "ir/onnx_import.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "runtime/sample_data.h"
#include "runtime/session.h"
#include "tests/test_util.h"

namespace onnxkit::testing {

namespace {
Result<size_t> RunPasses(Model& model, const std::vector<std::string>& passes) {
  PassManagerOptions options;
  options.verify_each = true;
  PassManager manager(options);
  ONNXKIT_RETURN_IF_ERROR(manager.addGroup(passes));
  return manager.run(model);
}

// Symbolic dims of the inputs take the value 2 (so that broadcasting bugs show).
std::map<std::string, runtime::Shape> InputShapes(const std::vector<runtime::ValueSpec>& specs) {
  std::map<std::string, runtime::Shape> shapes;
  for (const auto& spec : specs) {
    runtime::Shape shape;
    for (int64_t dim : spec.dims) shape.push_back(dim >= 0 ? dim : 2);
    shapes[spec.name] = shape;
  }
  return shapes;
}

// The text parser stores tensors in typed fields (float_data, ...) while passes build raw_data;
// the expected model and the result are compared with every initializer as raw_data.
std::string SerializeWithRawInitializers(const Model& source) {
  onnx::ModelProto proto;
  proto.ParseFromString(Serialize(source));
  auto imported = ImportModel(std::move(proto));
  EXPECT_TRUE(imported.ok()) << imported.message();
  if (!imported.ok()) return "";
  std::unique_ptr<Model> model = std::move(*imported);
  ForEachGraph(model->graph(), [](Graph& graph) {
    for (Value* value : graph.initializers()) {
      const Tensor& tensor = *value->initializer();
      if (tensor.dtype() == DataType::kString) continue;
      std::vector<int64_t> dims(tensor.dims().begin(), tensor.dims().end());
      graph.setInitializer(value, Tensor::Create(tensor.dtype(), dims, tensor.bytes()));
    }
  });
  return Serialize(*model);
}

}  // namespace

bool BitIdentical(const runtime::Tensor& a, const runtime::Tensor& b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
  if (a.dtype() == DataType::kString) return a.strings() == b.strings();
  return std::memcmp(a.raw(), b.raw(), a.byteSize()) == 0;
}

std::string CompareOnRuntime(const Model& original, const Model& optimized, std::optional<runtime::Tolerance> tolerance,
                             uint64_t seed) {
  auto before = runtime::Session::Create(original);
  if (!before.ok()) return "original does not run: " + before.message();
  auto after = runtime::Session::Create(optimized);
  if (!after.ok()) return "optimized model does not run: " + after.message();
  auto inputs = runtime::CompleteWithRandomInputs((*before)->inputs(), {}, InputShapes((*before)->inputs()), seed);
  if (!inputs.ok()) return "inputs: " + inputs.message();
  auto expected = (*before)->run(*inputs);
  if (!expected.ok()) return "original: " + expected.message();
  auto actual = (*after)->run(*inputs);
  if (!actual.ok()) return "optimized: " + actual.message();
  if (expected->size() != actual->size()) return "different output counts";
  for (size_t i = 0; i < expected->size(); ++i) {
    const runtime::Tensor& e = (*expected)[i];
    const runtime::Tensor& a = (*actual)[i];
    if (!tolerance) {
      if (!BitIdentical(e, a)) return fmt::format("output {} is not bit-identical ({} vs {})", i, runtime::DescribeTensor(e),
                                                  runtime::DescribeTensor(a));
      continue;
    }
    auto comparison = runtime::CompareTensors(e, a, *tolerance);
    if (!comparison.within_tolerance)
      return fmt::format("output {} differs: {} max abs error {}, {} elements beyond tolerance", i, comparison.problem,
                         comparison.max_absolute_error, comparison.elements_beyond_tolerance);
  }
  return "";
}

void SetFloatInitializer(Model& model, std::string_view name, std::vector<float> values) {
  for (Value* value : model.graph().initializers()) {
    if (value->name() != name) continue;
    std::vector<int64_t> dims(value->initializer()->dims().begin(), value->initializer()->dims().end());
    std::vector<std::byte> bytes(values.size() * sizeof(float));
    std::memcpy(bytes.data(), values.data(), bytes.size());
    model.graph().setInitializer(value, Tensor::Create(DataType::kFloat, dims, SharedBytes::FromVector(std::move(bytes))));
    return;
  }
  ADD_FAILURE() << "no initializer " << name;
}

size_t CheckPassCase(const PassCase& pass_case) {
  auto model = ParseModel(pass_case.input);
  if (pass_case.edit_input) pass_case.edit_input(*model);
  Status valid = VerifyModel(*model);
  EXPECT_TRUE(valid.ok()) << "input does not verify: " << valid.message();
  std::string before = Serialize(*model);
  auto original = ParseModel(pass_case.input);
  if (pass_case.edit_input) pass_case.edit_input(*original);

  auto rewrites = RunPasses(*model, pass_case.passes);
  EXPECT_TRUE(rewrites.ok()) << rewrites.message();
  if (!rewrites.ok()) return 0;
  std::string after = Serialize(*model);

  if (pass_case.expected.empty()) {
    EXPECT_EQ(*rewrites, 0u) << "expected no change, got:\n" << PrintModelText(*model);
  } else {
    auto expected = ParseModel(pass_case.expected);
    std::string diff = DiffModels(SerializeWithRawInitializers(*expected), SerializeWithRawInitializers(*model));
    EXPECT_EQ(diff, "") << "result:\n" << PrintModelText(*model);
  }
  if (*rewrites == 0) {
    EXPECT_EQ(before, after) << "a pass reporting no change modified the model";
  }
  if (pass_case.run_numerically) {
    EXPECT_EQ(CompareOnRuntime(*original, *model, pass_case.tolerance), "") << "result:\n" << PrintModelText(*model);
  }

  auto again = RunPasses(*model, pass_case.passes);
  EXPECT_TRUE(again.ok() && *again == 0) << "a second run changed the model again";
  EXPECT_EQ(Serialize(*model), after);
  return *rewrites;
}

}  // namespace onnxkit::testing
