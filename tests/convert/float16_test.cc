// ConvertToFloat16: which nodes compute in float16, where Casts go (and where not), constants,
// graph inputs/outputs, subgraphs; and on every fixture, that the float16 model stays close to
// the float32 one on the bundled runtime with half the weight bytes.
#include "passes/convert/float16.h"

#include <gtest/gtest.h>

#include "ir/model_io.h"
#include "ir/text_format.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/registry.h"
#include "runtime/sample_data.h"
#include "runtime/tensor_compare.h"
#include "tests/convert/convert_test_util.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

const Node* ProducerOf(const Model& model, std::string_view value_name) {
  for (const Node* node : model.graph().nodes())
    for (const Value* output : node->outputs())
      if (output && output->name() == value_name) return node;
  return nullptr;
}

const Node* NodeOfType(const Model& model, std::string_view op) {
  for (const Node* node : model.graph().nodes())
    if (node->opType() == op) return node;
  return nullptr;
}

size_t Count(const Model& model, std::string_view op) {
  size_t count = 0;
  for (const Node* node : model.graph().nodes()) count += node->opType() == op ? 1 : 0;
  return count;
}

DataType InputType(const Node& node, size_t i) {
  const Value* value = node.input(i);
  if (value->initializer() && !value->isGraphInput()) return value->initializer()->dtype();
  return value->elemType();
}

// Parses and converts `text`, checks the structure (verifier, ONNX checker, one Cast per value
// and type, no Cast pair that cancels), and compares with the float32 model on seeded random inputs.
std::pair<std::unique_ptr<Model>, Float16Report> ConvertAndCheck(std::string_view text,
                                                                 const Float16Options& options = {}) {
  auto original = ParseModel(text);
  auto converted = ParseModel(text);
  Model& model = *converted;
  auto report = ConvertToFloat16(model, options);
  EXPECT_TRUE(report.ok()) << report.message();
  if (!report.ok()) return {std::move(converted), Float16Report{}};
  Status valid = VerifyModel(model);
  EXPECT_TRUE(valid.ok()) << valid.message() << "\n" << PrintModelText(model);
  EXPECT_EQ(OnnxCheckerProblem(model), "") << PrintModelText(model);
  std::set<std::pair<std::string, int64_t>> casts;
  for (const Node* node : model.graph().nodes()) {
    if (!node->is("Cast")) continue;
    EXPECT_TRUE(casts.emplace(node->input(0)->name(), node->getInt("to", 0)).second)
        << "two Casts of " << node->input(0)->name();
    const Node* producer = node->input(0)->producer();
    if (producer && producer->is("Cast") && producer->input(0)->elemType() == node->output(0)->elemType() &&
        producer->input(0)->elemType() != DataType::kUndefined)
      ADD_FAILURE() << "Cast pair that cancels on " << producer->input(0)->name() << "\n" << PrintModelText(model);
  }
  auto session = runtime::Session::Create(*original);
  EXPECT_TRUE(session.ok());
  if (!session.ok()) return {std::move(converted), *report};
  std::map<std::string, runtime::Shape> shapes;
  for (const auto& spec : (*session)->inputs()) {
    runtime::Shape shape;
    for (int64_t dim : spec.dims) shape.push_back(dim >= 0 ? dim : 2);
    shapes[spec.name] = shape;
  }
  auto inputs = runtime::CompleteWithRandomInputs((*session)->inputs(), {}, shapes, 3);
  EXPECT_TRUE(inputs.ok());
  auto expected = (*session)->run(*inputs);
  EXPECT_TRUE(expected.ok()) << expected.message();
  auto actual = RunWithFloatIo(model, *inputs);
  EXPECT_TRUE(actual.ok()) << actual.message() << "\n" << PrintModelText(model);
  if (!expected.ok() || !actual.ok()) return {std::move(converted), *report};
  for (size_t i = 0; i < expected->size(); ++i) {
    EXPECT_GT(Cosine((*expected)[i], (*actual)[i]), 0.9999) << "output " << i;
    auto c = runtime::CompareTensors((*expected)[i], (*actual)[i], {1e-2, 1e-2});
    EXPECT_TRUE(c.within_tolerance) << "output " << i << " max abs error " << c.max_absolute_error;
  }
  return {std::move(converted), *report};
}

constexpr std::string_view kDense = R"(
  <ir_version: 8, opset_import: ["" : 17]>
  g (float[2,4] x) => (float[2,3] y)
    <float[4,3] w = {0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1.0, 1.1, 1.2}, float[3] b = {0.5, -0.5, 0.25}> {
    t = MatMul(x, w)
    u = Add(t, b)
    r = Relu(u)
    y = Softmax(r)
  }
)";

TEST(Float16, ComputeWeightsAndInterfaceBecomeHalf) {
  auto [model, report] = ConvertAndCheck(kDense);
  const Graph& graph = model->graph();
  EXPECT_EQ(graph.inputs()[0]->elemType(), DataType::kFloat16);
  EXPECT_EQ(graph.outputDeclaration(0).type().tensor_type().elem_type(), static_cast<int32_t>(DataType::kFloat16));
  for (const Value* value : graph.initializers()) EXPECT_EQ(value->initializer()->dtype(), DataType::kFloat16);
  EXPECT_EQ(InputType(*NodeOfType(*model, "MatMul"), 1), DataType::kFloat16);
  // Softmax stays float32, between two Casts.
  const Node* softmax = NodeOfType(*model, "Softmax");
  ASSERT_TRUE(softmax);
  EXPECT_EQ(InputType(*softmax, 0), DataType::kFloat);
  EXPECT_EQ(Count(*model, "Cast"), 2u);
  EXPECT_EQ(graph.outputs()[0]->name(), "y");
  EXPECT_TRUE(graph.outputs()[0]->producer()->is("Cast"));
  EXPECT_EQ(report.nodes_converted, 3u);
  EXPECT_EQ(report.nodes_kept, 1u);
  EXPECT_EQ(report.casts_inserted, 2u);
  EXPECT_EQ(report.constants_converted, 2u);
  EXPECT_EQ(report.float_bytes_before, 15u * 4);
  EXPECT_EQ(report.float_bytes_after, 15u * 2);
}

TEST(Float16, KeepIoTypesCastsAtTheBoundary) {
  Float16Options options;
  options.keep_io_types = true;
  auto [model, report] = ConvertAndCheck(kDense, options);
  const Graph& graph = model->graph();
  EXPECT_EQ(graph.inputs()[0]->elemType(), DataType::kFloat);
  EXPECT_EQ(graph.outputDeclaration(0).type().tensor_type().elem_type(), static_cast<int32_t>(DataType::kFloat));
  // x -> Cast(fp16) -> MatMul ... Relu -> Cast(fp32) -> Softmax = y: no Cast after Softmax.
  EXPECT_EQ(Count(*model, "Cast"), 2u);
  EXPECT_TRUE(graph.outputs()[0]->producer()->is("Softmax"));
  EXPECT_TRUE(NodeOfType(*model, "MatMul")->input(0)->producer()->is("Cast"));
}

TEST(Float16, DecomposedLayerNormStaysFloat32) {
  // The transformer fixture's LayerNorm: ReduceMean, Sub, Pow, ReduceMean, Add(eps), Sqrt, Div, Mul, Add.
  auto [model, report] = ConvertAndCheck(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,8] x) => (float[2,8] y)
      <float[1] two = {2.0}, float[1] eps = {1e-12}, float[8] gamma = {1,1,1,1,2,2,2,2}, float[8] beta = {0,0,0,0,1,1,1,1}> {
      mean = ReduceMean<axes = [-1]>(x)
      d = Sub(x, mean)
      sq = Pow(d, two)
      var = ReduceMean<axes = [-1]>(sq)
      ve = Add(var, eps)
      sd = Sqrt(ve)
      n = Div(d, sd)
      m = Mul(n, gamma)
      y = Add(m, beta)
    }
  )");
  for (const char* kept : {"mean", "sq", "var", "ve", "sd"}) {
    const Node* node = ProducerOf(*model, kept);
    ASSERT_TRUE(node) << kept;
    EXPECT_EQ(InputType(*node, 0), DataType::kFloat) << kept << " should compute in float32";
  }
  // eps keeps its value: float16 would flush 1e-12 to 0.
  const Node* add_eps = ProducerOf(*model, "ve");
  ASSERT_TRUE(add_eps->input(1)->initializer());
  EXPECT_EQ(add_eps->input(1)->initializer()->dtype(), DataType::kFloat);
  for (const char* half : {"d", "n", "m"}) EXPECT_EQ(InputType(*ProducerOf(*model, half), 0), DataType::kFloat16) << half;
}

TEST(Float16, HeavyOpsBetweenFloat32OpsStillConvert) {
  // With Relu kept float32, the MatMul sits between two float32 nodes; it is converted anyway
  // (its weights are the point), while the cheap Add between them is not.
  Float16Options options;
  options.keep_ops = {"Relu"};
  auto [model, report] = ConvertAndCheck(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,4] x) => (float[2,3] y)
      <float[4,3] w = {0.1, -0.2, 0.3, 0.4, 0.5, -0.6, 0.7, 0.8, -0.9, 1.0, 1.1, 1.2}, float[3] b = {1, 2, 3}> {
      a = Relu(x)
      t = MatMul(a, w)
      r = Relu(t)
      u = Add(r, b)
      y = Relu(u)
    }
  )",
                                         options);
  EXPECT_EQ(InputType(*ProducerOf(*model, "t"), 1), DataType::kFloat16);
  EXPECT_EQ(InputType(*ProducerOf(*model, "u"), 0), DataType::kFloat);
  EXPECT_EQ(InputType(*ProducerOf(*model, "u"), 1), DataType::kFloat);
}

TEST(Float16, ConstantsUsedBothWaysAndClamping) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2,3] x) => (float[2,3] y, float[2,1] z)
      <float[2,3] c = {1.5, 2.5, -3.5, 1, 2, 3}, float[3] big = {-1e9, 1e9, 0.5}, int64[1] axes = {1}> {
      m = Mul(x, c)
      y = Add(m, big)
      z = ReduceSum<keepdims = 1>(c, axes)
    }
  )");
  // (Not compared numerically: ±1e9 cannot survive float16, which is the point of the clamp.)
  ASSERT_TRUE(ConvertToFloat16(*model).ok());
  EXPECT_TRUE(VerifyModel(*model).ok());
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
  // c feeds a float16 Mul and a float32 ReduceSum: the original stays float32 for the ReduceSum
  // (no Cast, no rounding) and the Mul reads a float16 copy.
  const Node* reduce = NodeOfType(*model, "ReduceSum");
  EXPECT_EQ(reduce->input(0)->name(), "c");
  EXPECT_EQ(InputType(*reduce, 0), DataType::kFloat);
  const Node* first_mul = ProducerOf(*model, "m");
  ASSERT_TRUE(first_mul->input(1)->initializer());
  EXPECT_EQ(first_mul->input(1)->initializer()->dtype(), DataType::kFloat16);
  EXPECT_NE(first_mul->input(1)->name(), "c");
  EXPECT_EQ(Count(*model, "Cast"), 1u);  // only z's, back to float16 for the output
  // -1e9 and 1e9 do not exist in float16: clamped to ±65504, not ±inf.
  const Node* add = ProducerOf(*model, "y");
  const Tensor& big = *add->input(1)->initializer();
  ASSERT_EQ(big.dtype(), DataType::kFloat16);
  EXPECT_EQ(big.ElementAsDouble(0), -65504.0);
  EXPECT_EQ(big.ElementAsDouble(1), 65504.0);
  EXPECT_EQ(big.ElementAsDouble(2), 0.5);
}

TEST(Float16, SchemaWithoutFloat16StaysFloat32) {
  // Range has no float16 in its type constraint; Resize's scales are tensor(float) only.
  auto [model, report] = ConvertAndCheck(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[1,1,2,2] x) => (float[1,1,4,4] y, float[4] r)
      <float[4] scales = {1.0, 1.0, 2.0, 2.0}, float start = {0.0}, float limit = {2.0}, float delta = {0.5}> {
      n = Neg(x)
      y = Resize<mode = "nearest">(n, , scales)
      r = Range(start, limit, delta)
    }
  )");
  const Node* resize = NodeOfType(*model, "Resize");
  EXPECT_EQ(InputType(*resize, 0), DataType::kFloat16);
  EXPECT_EQ(InputType(*resize, 2), DataType::kFloat);  // scales stay float32
  const Node* range = NodeOfType(*model, "Range");
  EXPECT_EQ(InputType(*range, 0), DataType::kFloat);
}

TEST(Float16, CastToFloatAndConstantOfShapeProduceHalf) {
  auto [model, report] = ConvertAndCheck(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (int64[2,3] ids, float[2,3] x) => (float[2,3] y) {
      f = Cast<to = 1>(ids)
      s = Shape(x)
      z = ConstantOfShape<value = float[1] {0.25}>(s)
      a = Add(f, z)
      y = Mul(a, x)
    }
  )");
  const Node* cast = ProducerOf(*model, "f");
  EXPECT_EQ(cast->getInt("to", 0), static_cast<int64_t>(DataType::kFloat16));
  const Node* fill = ProducerOf(*model, "z");
  EXPECT_EQ(fill->attribute("value")->tensor()->dtype(), DataType::kFloat16);
  EXPECT_EQ(Count(*model, "Cast"), 1u);  // only the model's own: no Casts were needed
}

TEST(Float16, UserKeepOpsAndUnknownDomains) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17, "com.example" : 1]>
    g (float[2,3] x) => (float[2,3] y) {
      a = Sigmoid(x)
      b = com.example.Custom(a)
      y = Tanh(b)
    }
  )");
  Float16Options options;
  options.keep_ops = {"Sigmoid"};
  auto report = ConvertToFloat16(*model, options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(InputType(*NodeOfType(*model, "Sigmoid"), 0), DataType::kFloat);
  EXPECT_EQ(InputType(*NodeOfType(*model, "Custom"), 0), DataType::kFloat);
  // Custom's output type is unknown to shape inference: Tanh stays as it was.
  EXPECT_EQ(NodeOfType(*model, "Tanh")->input(0)->name(), "b");
  EXPECT_TRUE(VerifyModel(*model).ok());
}

TEST(Float16, SubgraphsStayFloat32AndOuterValuesAreCastBack) {
  auto model = LoadModel(SourceDir() / "fixtures" / "control_flow.onnx");
  ASSERT_TRUE(model.ok());
  auto original = LoadModel(SourceDir() / "fixtures" / "control_flow.onnx");
  auto report = ConvertToFloat16(**model);
  ASSERT_TRUE(report.ok()) << report.message();
  ASSERT_TRUE(VerifyModel(**model).ok());
  EXPECT_EQ(OnnxCheckerProblem(**model), "");
  // Nodes inside the If/Loop bodies read float32 values only.
  ForEachGraph((*model)->graph(), [&](Graph& graph) {
    if (&graph == &(*model)->graph()) return;
    for (const Node* node : graph.nodes())
      for (const Value* input : node->inputs()) {
        if (!input) continue;
        EXPECT_NE(input->elemType(), DataType::kFloat16) << node->describe() << " in a body reads float16";
      }
  });
  EXPECT_EQ((*model)->graph().inputs()[0]->elemType(), DataType::kFloat16);
  for (const Sample& sample : FixtureSamples("control_flow", **original)) {
    auto actual = RunWithFloatIo(**model, sample.inputs);
    ASSERT_TRUE(actual.ok()) << actual.message();
    EXPECT_GT(Cosine(sample.outputs[0], (*actual)[0]), 0.999);
  }
}

// Every fixture, optimized at -O2 and converted: close to PyTorch's float32 outputs, float
// weights halved, valid for the verifier and the ONNX checker.
class Float16Fixture : public ::testing::TestWithParam<std::tuple<std::string, bool>> {};

TEST_P(Float16Fixture, CloseToFloat32WithHalfTheWeightBytes) {
  auto [name, keep_io_types] = GetParam();
  auto model = LoadModel(SourceDir() / "fixtures" / (name + ".onnx"));
  ASSERT_TRUE(model.ok());
  auto samples = FixtureSamples(name, **model);
  ASSERT_FALSE(samples.empty());
  PassManagerOptions manager_options;
  manager_options.pipeline_rounds = 3;
  PassManager manager(manager_options);
  for (const auto& group : PipelineForLevel(2)) ASSERT_TRUE(manager.addGroup(group).ok());
  ASSERT_TRUE(manager.run(**model).ok());
  uint64_t float_bytes = InitializerBytes(**model, DataType::kFloat);
  Float16Options options;
  options.keep_io_types = keep_io_types;
  auto report = ConvertToFloat16(**model, options);
  ASSERT_TRUE(report.ok()) << report.message();
  ASSERT_TRUE(VerifyModel(**model).ok());
  EXPECT_EQ(OnnxCheckerProblem(**model), "");
  EXPECT_EQ(report->float_bytes_before, float_bytes);
  uint64_t after = InitializerBytes(**model, DataType::kFloat) + InitializerBytes(**model, DataType::kFloat16);
  if (name == "control_flow") {
    // Its weights are read inside the If/Loop bodies, which stay float32.
    EXPECT_LE(after, float_bytes);
  } else {
    EXPECT_LE(after, float_bytes / 2 + 64) << "float weights should take half the bytes";
  }
  EXPECT_GT(report->nodes_converted, 0u);
  for (const Sample& sample : samples) {
    auto actual = RunWithFloatIo(**model, sample.inputs);
    ASSERT_TRUE(actual.ok()) << actual.message();
    ASSERT_EQ(actual->size(), sample.outputs.size());
    for (size_t i = 0; i < actual->size(); ++i) {
      EXPECT_GT(Cosine(sample.outputs[i], (*actual)[i]), 0.999) << name << " output " << i;
      auto c = runtime::CompareTensors(sample.outputs[i], (*actual)[i], {2e-2, 2e-2});
      EXPECT_TRUE(c.within_tolerance) << name << " output " << i << " max abs error " << c.max_absolute_error
                                      << " max rel error " << c.max_relative_error;
    }
  }
  RecordProperty("casts", static_cast<int>(report->casts_inserted));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Float16Fixture,
                         ::testing::Combine(::testing::Values("cnn_bn_residual", "transformer_encoder", "lstm",
                                                              "control_flow", "digits_cnn"),
                                            ::testing::Bool()),
                         [](const auto& param_info) {
                           return std::get<0>(param_info.param) + (std::get<1>(param_info.param) ? "_keep_io" : "_half_io");
                         });

}  // namespace
}  // namespace onnxkit
