// ConvertOpset (libonnx's version converter around the IR): converted models keep their meaning on
// the bundled runtime, pass the ONNX checker and the verifier; what the converter cannot do is one
// clear error and leaves the model untouched.
#include "passes/convert/opset_conversion.h"

#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "runtime/sample_data.h"
#include "runtime/tensor_compare.h"
#include "tests/convert/convert_test_util.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

std::vector<std::string> OpTypes(const Graph& graph) {
  std::vector<std::string> ops;
  for (const Node* node : graph.nodes()) ops.push_back(node->opType());
  return ops;
}

// Original and converted model give the same outputs on seeded random inputs (symbolic dims 2).
void ExpectSameOutputs(const Model& original, const Model& converted, double tolerance = 1e-6) {
  auto before = runtime::Session::Create(original);
  ASSERT_TRUE(before.ok()) << before.message();
  std::map<std::string, runtime::Shape> shapes;
  for (const auto& spec : (*before)->inputs()) {
    runtime::Shape shape;
    for (int64_t dim : spec.dims) shape.push_back(dim >= 0 ? dim : 2);
    shapes[spec.name] = shape;
  }
  auto inputs = runtime::CompleteWithRandomInputs((*before)->inputs(), {}, shapes, 7);
  ASSERT_TRUE(inputs.ok()) << inputs.message();
  auto expected = (*before)->run(*inputs);
  ASSERT_TRUE(expected.ok()) << expected.message();
  auto actual = RunWithFloatIo(converted, *inputs);
  ASSERT_TRUE(actual.ok()) << actual.message() << "\n" << PrintModelText(converted);
  ASSERT_EQ(actual->size(), expected->size());
  for (size_t i = 0; i < expected->size(); ++i) {
    auto c = runtime::CompareTensors((*expected)[i], (*actual)[i], {tolerance, tolerance});
    EXPECT_TRUE(c.within_tolerance) << "output " << i << ": " << c.problem << " max abs error " << c.max_absolute_error;
  }
}

struct FixtureCase {
  std::string name;
  int64_t target;
};

class ConvertFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(ConvertFixture, KeepsTheOutputsOfEveryTestSample) {
  const FixtureCase& c = GetParam();
  auto model = LoadModel(SourceDir() / "fixtures" / (c.name + ".onnx"));
  ASSERT_TRUE(model.ok()) << model.message();
  auto original = LoadModel(SourceDir() / "fixtures" / (c.name + ".onnx"));
  ASSERT_TRUE(original.ok());
  int64_t from = *(*model)->opsetVersion("");
  auto converted = ConvertOpset(**model, c.target);
  ASSERT_TRUE(converted.ok()) << converted.message();
  EXPECT_EQ(converted->from, from);
  EXPECT_TRUE(converted->changed);
  EXPECT_EQ((*model)->opsetVersion(""), c.target);
  EXPECT_GE((*model)->irVersion(), MinimumIrVersionForOpset(c.target));
  EXPECT_TRUE(VerifyModel(**model).ok());
  EXPECT_EQ(OnnxCheckerProblem(**model), "");

  auto samples = FixtureSamples(c.name, **original);
  ASSERT_FALSE(samples.empty());
  auto reference = runtime::Session::Create(**original);
  ASSERT_TRUE(reference.ok());
  for (const Sample& sample : samples) {
    auto expected = (*reference)->run(sample.inputs);
    ASSERT_TRUE(expected.ok()) << expected.message();
    auto actual = RunWithFloatIo(**model, sample.inputs);
    ASSERT_TRUE(actual.ok()) << actual.message();
    ASSERT_EQ(actual->size(), expected->size());
    for (size_t i = 0; i < expected->size(); ++i) {
      // The same kernels on the same graph up to adapters: equal to float rounding.
      auto same = runtime::CompareTensors((*expected)[i], (*actual)[i], {1e-6, 1e-6});
      EXPECT_TRUE(same.within_tolerance) << c.name << " output " << i << " max abs error " << same.max_absolute_error;
      // And still PyTorch's numbers.
      auto torch = runtime::CompareTensors(sample.outputs[i], (*actual)[i], {1e-4, 1e-4});
      EXPECT_TRUE(torch.within_tolerance) << c.name << " output " << i << " vs PyTorch: " << torch.max_absolute_error;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ConvertFixture,
                         ::testing::Values(FixtureCase{"cnn_bn_residual", 17}, FixtureCase{"cnn_bn_residual", 15},
                                           FixtureCase{"transformer_encoder", 17}, FixtureCase{"lstm", 14},
                                           FixtureCase{"lstm", 17}, FixtureCase{"control_flow", 16},
                                           FixtureCase{"digits_cnn", 17}),
                         [](const auto& param_info) {
                           return param_info.param.name + "_to_" + std::to_string(param_info.param.target);
                         });

TEST(ConvertOpset, LargeWeightsAreNotCopied) {
  auto model = LoadModel(SourceDir() / "fixtures" / "cnn_bn_residual.onnx");
  ASSERT_TRUE(model.ok());
  std::map<std::string, const std::byte*> before;
  for (const Value* value : (*model)->graph().initializers())
    if (value->initializer()->byteSize() >= 4096) before[value->name()] = value->initializer()->bytes().data();
  ASSERT_GE(before.size(), 3u);
  ASSERT_TRUE(ConvertOpset(**model, 17).ok());
  size_t shared = 0;
  for (const Value* value : (*model)->graph().initializers()) {
    auto it = before.find(value->name());
    if (it != before.end() && it->second == value->initializer()->bytes().data()) ++shared;
  }
  EXPECT_EQ(shared, before.size()) << "the converted model should point at the same (mapped) bytes";
}

TEST(ConvertOpset, SameOpsetChangesNothing) {
  auto model = LoadModel(SourceDir() / "fixtures" / "digits_cnn.onnx");
  ASSERT_TRUE(model.ok());
  std::string bytes = Serialize(**model);
  auto converted = ConvertOpset(**model, 13);
  ASSERT_TRUE(converted.ok());
  EXPECT_FALSE(converted->changed);
  EXPECT_EQ(Serialize(**model), bytes);
}

TEST(ConvertOpset, AdaptersRewriteNodesUpAndDown) {
  // Opset 12 -> 13: Squeeze/ReduceSum axes move from attribute to input, Softmax's coerced-2D
  // semantics become a Flatten/Softmax/Reshape, Split's 'split' attribute becomes an input.
  auto model = ParseModel(R"(
    <ir_version: 7, opset_import: ["" : 12]>
    g (float[1,2,3] x) => (float[2,3] s, float[2] r, float[1,2,3] m, float[1,2,1] a, float[1,2,2] b) {
      s = Squeeze<axes = [0]>(x)
      r = ReduceSum<axes = [0, 2], keepdims = 0>(x)
      m = Softmax<axis = 1>(x)
      a, b = Split<axis = 2, split = [1, 2]>(x)
    }
  )");
  auto original = ParseModel(PrintModelText(*model));
  auto up = ConvertOpset(*model, 13);
  ASSERT_TRUE(up.ok()) << up.message();
  std::vector<std::string> ops = OpTypes(model->graph());
  for (const char* op : {"Squeeze", "ReduceSum", "Softmax", "Split"})
    EXPECT_NE(std::find(ops.begin(), ops.end(), op), ops.end()) << op;
  for (const Node* node : model->graph().nodes()) {
    if (node->is("Squeeze") || node->is("ReduceSum") || node->is("Split")) {
      EXPECT_EQ(node->inputCount(), 2u) << node->opType();
    }
  }
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  ExpectSameOutputs(*original, *model);

  // And back down: the axes inputs become attributes again.
  auto down_model = ParseModel(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[1,2,3] x) => (float[2,3] s, float[1,2,1] a, float[1,2,2] b) <int64[1] axes = {0}> {
      s = Squeeze(x, axes)
      sizes = Constant<value = int64[2] {1, 2}>()
      a, b = Split<axis = 2>(x, sizes)
    }
  )");
  // As exporters write it: the axes initializer in raw_data, which libonnx 1.12's adapter cannot read.
  for (Value* value : down_model->graph().initializers())
    down_model->graph().setInitializer(value, Tensor::FromValues<int64_t>(DataType::kInt64, {1}, std::vector<int64_t>{0}));
  ASSERT_FALSE(down_model->graph().initializers().front()->initializer()->usesTypedFields());
  auto down_original = ParseModel(PrintModelText(*down_model));
  auto down = ConvertOpset(*down_model, 12);
  ASSERT_TRUE(down.ok()) << down.message();
  for (const Node* node : down_model->graph().nodes()) {
    if (node->is("Squeeze")) {
      EXPECT_EQ(node->getInts("axes"), std::vector<int64_t>{0});
      EXPECT_EQ(node->inputCount(), 1u);
    }
    if (node->is("Split")) {
      EXPECT_EQ(node->getInts("split"), (std::vector<int64_t>{1, 2}));
    }
  }
  EXPECT_EQ(OnnxCheckerProblem(*down_model), "");
  ExpectSameOutputs(*down_original, *down_model);
}

void ExpectConversionError(const std::string& text, int64_t target, const std::string& expected) {
  auto model = ParseModel(text);
  std::string bytes = Serialize(*model);
  auto converted = ConvertOpset(*model, target);
  ASSERT_FALSE(converted.ok());
  EXPECT_NE(converted.message().find(expected), std::string::npos) << converted.message();
  EXPECT_EQ(converted.message().find('\n'), std::string::npos) << "one line: " << converted.message();
  EXPECT_EQ(Serialize(*model), bytes) << "a failed conversion must leave the model untouched";
}

TEST(ConvertOpset, WhatTheConverterCannotDoIsOneClearError) {
  // Down-conversions need an adapter for every op whose schema changed; 1.12 has few.
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) { y = Relu(x) }
  )",
                        12, "cannot convert from opset 13 to 12: libonnx 1.12.0 has no adapter for Relu to opset 12");
  ExpectConversionError(R"(
    <ir_version: 8, opset_import: ["" : 14]>
    g (float[2] x, float[2] z) => (float[2] y) { y = Sub(x, z) }
  )",
                        13, "cannot convert from opset 14 to 13: libonnx 1.12.0 has no adapter for Sub from opset 14");
  // Ops that did not exist yet.
  ExpectConversionError(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,4] x, float[4] s, float[4] b) => (float[2,4] y) { y = LayerNormalization(x, s, b) }
  )",
                        16, "No Previous Version of LayerNormalization exists");
  // Opsets libonnx does not know.
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[2] x) => (float[2] y) { y = Relu(x) }
  )",
                        18, "cannot convert from opset 13 to 18: the version converter of libonnx 1.12.0 knows opsets 1 to 17");
  // Axes that are computed at run time cannot become an attribute.
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[1,2] x, int64[1] axes) => (float[2] y) { y = Squeeze(x, axes) }
  )",
                        12, "No initializer or constant input to node found");
  // Other domains: libonnx 1.12 would look them up as default-domain ops.
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["" : 13, "com.microsoft" : 1]>
    g (float[2] x) => (float[2] y) { t = com.microsoft.Gelu(x)  y = Relu(t) }
  )",
                        17, "node (Gelu) producing 't' is in domain 'com.microsoft'");
  // Two cases the Split 13->12 adapter cannot handle (a crash, an assertion) are refused up front.
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[4] x, int64[2] sizes) => (float[1] a, float[3] b) { a, b = Split(x, sizes) }
  )",
                        12, "Split 13->12 adapter needs constant split sizes");
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[4] x) => (float[2] a, float[2] b) { a, b = Split(x) }
  )",
                        12, "splits into equal parts (no 'split' input)");
  // No default-domain opset at all.
  ExpectConversionError(R"(
    <ir_version: 7, opset_import: ["com.microsoft" : 1]>
    g (float[2] x) => (float[2] y) { y = com.microsoft.Gelu(x) }
  )",
                        17, "cannot convert to opset 17: the model imports no default-domain opset");
}

TEST(ConvertOpset, ACrashOfTheConverterIsAnError) {
  // Straight to the converter, without the check that refuses this model: the child process
  // crashes, this one reports it.
  auto model = ParseModel(R"(
    <ir_version: 7, opset_import: ["" : 13]>
    g (float[4] x) => (float[2] a, float[2] b) { a, b = Split(x) }
  )");
  onnx::ModelProto proto;
  ASSERT_TRUE(proto.ParseFromString(Serialize(*model)));
  auto converted = RunVersionConverter(proto, 12);
  ASSERT_FALSE(converted.ok());
  EXPECT_NE(converted.message().find("crashed"), std::string::npos) << converted.message();
  // The same entry point converts what it can.
  auto fine = RunVersionConverter(proto, 14);
  ASSERT_TRUE(fine.ok()) << fine.message();
  EXPECT_EQ(fine->opset_import(0).version(), 14);
}

// Every model of the ONNX backend test data, converted to the newest opset: either a clear error,
// or a model that passes the checker and the verifier and computes what the original computes.
TEST(ConvertOpset, EveryBackendTestModelToOpset17) {
  auto models = BackendTestModels();
  if (models.empty()) GTEST_SKIP() << "libonnx-testdata is not installed";
  size_t converted_count = 0, compared = 0, refused = 0;
  for (const auto& path : models) {
    auto model = LoadModel(path);
    if (!model.ok() || !VerifyModel(**model).ok()) continue;
    auto from = (*model)->opsetVersion("");
    if (!from || *from == 17) continue;
    auto original = LoadModel(path);
    auto converted = ConvertOpset(**model, 17);
    if (!converted.ok()) {
      EXPECT_EQ(converted.message().rfind("cannot convert from opset", 0), 0u) << path << ": " << converted.message();
      ++refused;
      continue;
    }
    ++converted_count;
    EXPECT_TRUE(VerifyModel(**model).ok()) << path;
    EXPECT_EQ(OnnxCheckerProblem(**model), "") << path;
    // Numerics where the bundled runtime runs the original on its test data.
    auto reference = runtime::Session::Create(**original);
    if (!reference.ok()) continue;
    auto folders = runtime::ListSampleFolders(path.parent_path());
    if (!folders.ok() || folders->empty()) continue;
    auto inputs = runtime::ReadSampleFolder(folders->front(), (*reference)->inputs());
    if (!inputs.ok()) continue;
    auto expected = (*reference)->run(*inputs);
    if (!expected.ok()) continue;
    auto session = runtime::Session::Create(**model);
    ASSERT_TRUE(session.ok()) << path << ": " << session.message();
    auto actual = (*session)->run(*inputs);
    ASSERT_TRUE(actual.ok()) << path << ": " << actual.message();
    ASSERT_EQ(actual->size(), expected->size()) << path;
    for (size_t i = 0; i < expected->size(); ++i) {
      auto c = runtime::CompareTensors((*expected)[i], (*actual)[i], {1e-5, 1e-6});
      EXPECT_TRUE(c.within_tolerance) << path << " output " << i << ": " << c.problem << " " << c.max_absolute_error;
    }
    ++compared;
  }
  // libonnx 1.12 converts every backend model upwards; most also run here.
  EXPECT_GT(converted_count, 800u);
  EXPECT_GT(compared, 600u);
  RecordProperty("converted", static_cast<int>(converted_count));
  RecordProperty("compared", static_cast<int>(compared));
  RecordProperty("refused", static_cast<int>(refused));
}

}  // namespace
}  // namespace onnxkit
