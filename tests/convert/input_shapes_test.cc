// FixInputShapes: overriding input dims, fixing the batch, propagating symbolic names, re-deriving
// intermediate shapes, the errors; and that fixing the batch lets fold-shapes fold more.
#include "passes/convert/input_shapes.h"

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

// "[2,3,x,?]" for a value's or declaration's type.
std::string ShapeText(const onnx::TypeProto& type) {
  if (!type.tensor_type().has_shape()) return "none";
  std::string text = "[";
  for (const auto& dim : type.tensor_type().shape().dim()) {
    if (text.size() > 1) text += ",";
    text += dim.has_dim_value() ? std::to_string(dim.dim_value()) : dim.has_dim_param() ? dim.dim_param() : "?";
  }
  return text + "]";
}

const Value* FindValue(const Model& model, std::string_view name) {
  for (const Value* value : model.graph().values())
    if (value->name() == name) return value;
  return nullptr;
}

TEST(ParseInputShapeOverride, NameAndDims) {
  auto parsed = ParseInputShapeOverride("input:1,3,224,224");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->name, "input");
  EXPECT_EQ(parsed->dims, (std::vector<int64_t>{1, 3, 224, 224}));
  // The last ':' separates: names may hold ':' (as TF-exported ones do).
  auto colon = ParseInputShapeOverride("serving:0:8");
  ASSERT_TRUE(colon.ok());
  EXPECT_EQ(colon->name, "serving:0");
  EXPECT_EQ(colon->dims, std::vector<int64_t>{8});
  auto scalar = ParseInputShapeOverride("n:");
  ASSERT_TRUE(scalar.ok());
  EXPECT_TRUE(scalar->dims.empty());
  for (const char* bad : {"input", ":1,2", "x:1,,2", "x:1,-2", "x:a", "x:1,2,", "x:99999999999999999999"})
    EXPECT_FALSE(ParseInputShapeOverride(bad).ok()) << bad;
}

// Normalizes by the batch size, which only shape folding can turn into a constant.
std::unique_ptr<Model> DynamicCnn() {
  return ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N,2,4,4] x, float[2,2,3,3] w, float[N,2,4,4] bias) => (float[N,2,4,4] y) <int64 first = {0}> {
      c = Conv<pads = [1, 1, 1, 1]>(x, w)
      r = Relu(c)
      s = Shape(r)
      n = Gather<axis = 0>(s, first)
      nf = Cast<to = 1>(n)
      m = Div(r, nf)
      y = Add(m, bias)
    }
  )");
}

TEST(FixInputShapes, FixBatchFixesSymbolAcrossInputsAndOutputs) {
  auto model = DynamicCnn();
  FixInputShapesOptions options;
  options.batch = 3;
  auto report = FixInputShapes(*model, options);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_EQ(report->dims_fixed, 2u);  // x and bias
  EXPECT_EQ(ShapeText(FindValue(*model, "x")->type()), "[3,2,4,4]");
  EXPECT_EQ(ShapeText(FindValue(*model, "bias")->type()), "[3,2,4,4]");
  EXPECT_EQ(ShapeText(model->graph().outputDeclaration(0).type()), "[3,2,4,4]");
  // Intermediates are inferred again from the fixed input.
  EXPECT_EQ(ShapeText(FindValue(*model, "r")->type()), "[3,2,4,4]");
  EXPECT_TRUE(VerifyModel(*model).ok());
  EXPECT_EQ(OnnxCheckerProblem(*model), "");
}

TEST(FixInputShapes, StaleIntermediateShapesAreCleared) {
  auto model = DynamicCnn();
  // Exporters record shapes traced with batch 1; after fixing batch 3 they would contradict.
  for (Value* value : model->graph().values()) {
    if (value->name() != "r") continue;
    auto* shape = value->mutableType()->mutable_tensor_type()->mutable_shape();
    value->mutableType()->mutable_tensor_type()->set_elem_type(1);
    shape->clear_dim();
    for (int64_t d : {1, 2, 4, 4}) shape->add_dim()->set_dim_value(d);
    model->graph().setInValueInfo(value, true);
  }
  FixInputShapesOptions options;
  options.batch = 3;
  auto report = FixInputShapes(*model, options);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_GE(report->shapes_cleared, 1u);
  EXPECT_EQ(ShapeText(FindValue(*model, "r")->type()), "[3,2,4,4]");
}

TEST(FixInputShapes, MoreNodesFoldAfterFixingTheBatch) {
  auto count_after_o2 = [](Model& model) {
    PassManagerOptions manager_options;
    manager_options.pipeline_rounds = 3;  // as onnx-opt
    PassManager manager(manager_options);
    for (const auto& group : PipelineForLevel(2)) EXPECT_TRUE(manager.addGroup(group).ok());
    EXPECT_TRUE(manager.run(model).ok());
    return model.graph().nodeCount();
  };
  auto dynamic = DynamicCnn();
  size_t dynamic_nodes = count_after_o2(*dynamic);
  auto fixed = DynamicCnn();
  FixInputShapesOptions options;
  options.batch = 3;
  ASSERT_TRUE(FixInputShapes(*fixed, options).ok());
  auto reference = DynamicCnn();
  size_t fixed_nodes = count_after_o2(*fixed);
  // Shape -> Gather -> Cast fold into the constant 3 once N is known (and the Div becomes a Mul).
  EXPECT_EQ(dynamic_nodes, 7u) << PrintModelText(*dynamic);
  EXPECT_EQ(fixed_nodes, 4u) << PrintModelText(*fixed);
  for (const Node* node : fixed->graph().nodes()) EXPECT_FALSE(node->is("Shape")) << PrintModelText(*fixed);
  // Same numbers for batch 3.
  auto session = runtime::Session::Create(*reference);
  ASSERT_TRUE(session.ok());
  auto inputs = runtime::CompleteWithRandomInputs((*session)->inputs(), {}, {{"x", {3, 2, 4, 4}}, {"bias", {3, 2, 4, 4}}}, 1);
  ASSERT_TRUE(inputs.ok()) << inputs.message();
  auto expected = (*session)->run(*inputs);
  ASSERT_TRUE(expected.ok()) << expected.message();
  auto actual = RunWithFloatIo(*fixed, *inputs);
  ASSERT_TRUE(actual.ok()) << actual.message();
  auto c = runtime::CompareTensors((*expected)[0], (*actual)[0], {1e-6, 1e-6});
  EXPECT_TRUE(c.within_tolerance) << c.max_absolute_error;
}

TEST(FixInputShapes, OverrideOneInputFixesItsSymbolsEverywhere) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (int64[batch,seq] ids, float[batch,seq] mask, float[?] free) => (float[batch,seq] y, float[?] z) {
      f = Cast<to = 1>(ids)
      y = Mul(f, mask)
      z = Neg(free)
    }
  )");
  FixInputShapesOptions options;
  options.overrides.push_back({"ids", {2, 16}});
  options.overrides.push_back({"free", {5}});
  auto report = FixInputShapes(*model, options);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_EQ(ShapeText(FindValue(*model, "mask")->type()), "[2,16]");
  EXPECT_EQ(ShapeText(FindValue(*model, "free")->type()), "[5]");
  EXPECT_EQ(ShapeText(model->graph().outputDeclaration(0).type()), "[2,16]");
  EXPECT_EQ(ShapeText(model->graph().outputDeclaration(1).type()), "[5]");  // from shape inference
  EXPECT_EQ(report->dims_fixed, 5u);
}

TEST(FixInputShapes, OverrideWinsOverFixBatch) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N,4] a, float[M,4] b) => (float[N,4] y, float[M,4] z) { y = Relu(a)  z = Relu(b) }
  )");
  FixInputShapesOptions options;
  options.overrides.push_back({"a", {7, 4}});
  options.batch = 1;
  ASSERT_TRUE(FixInputShapes(*model, options).ok());
  EXPECT_EQ(ShapeText(FindValue(*model, "a")->type()), "[7,4]");
  EXPECT_EQ(ShapeText(FindValue(*model, "b")->type()), "[1,4]");
  EXPECT_EQ(ShapeText(model->graph().outputDeclaration(0).type()), "[7,4]");
  EXPECT_EQ(ShapeText(model->graph().outputDeclaration(1).type()), "[1,4]");
}

TEST(FixInputShapes, StaticModelIsLeftAlone) {
  auto model = LoadModel(SourceDir() / "fixtures" / "cnn_bn_residual.onnx");
  ASSERT_TRUE(model.ok());
  std::string bytes = Serialize(**model);
  FixInputShapesOptions options;
  options.batch = 1;
  options.overrides.push_back({"input", {1, 3, 32, 32}});
  auto report = FixInputShapes(**model, options);
  ASSERT_TRUE(report.ok()) << report.message();
  EXPECT_EQ(report->dims_fixed, 0u);
  EXPECT_EQ(Serialize(**model), bytes);
}

void ExpectError(const FixInputShapesOptions& options, const std::string& expected) {
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[N,3,8,8] x, float[N,K] y) => (float[N,3,8,8] out) { out = Relu(x) }
  )");
  std::string bytes = Serialize(*model);
  auto report = FixInputShapes(*model, options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.message().find(expected), std::string::npos) << report.message();
  EXPECT_EQ(Serialize(*model), bytes) << "the model must stay unchanged on error";
}

TEST(FixInputShapes, Errors) {
  ExpectError({{{"input", {1, 3, 8, 8}}}, std::nullopt},
              "--overwrite-input-shape: the model has no input 'input' (its inputs: x, y)");
  ExpectError({{{"x", {1, 3, 8}}}, std::nullopt},
              "--overwrite-input-shape: input 'x' has rank 4 ([N,3,8,8]); 'x' gives 3 dims");
  ExpectError({{{"x", {1, 3, 224, 224}}}, std::nullopt},
              "--overwrite-input-shape: input 'x' has dim 2 = 8 in the model ([N,3,8,8]); it cannot become 224");
  ExpectError({{{"x", {1, 3, 8, 8}}, {"y", {2, 5}}}, std::nullopt},
              "symbolic dim 'N' would get two values: 1 (input 'x') and 2 (input 'y')");
  ExpectError({{{"x", {1, 3, 8, 8}}, {"x", {1, 3, 8, 8}}}, std::nullopt}, "input 'x' is given twice");
}

// The transformer fixture with its inputs fixed to the test data's [2,16]: the shape plumbing folds
// away and the outputs stay PyTorch's.
TEST(FixInputShapes, TransformerFoldsItsShapeComputations) {
  auto optimized_nodes = [](Model& model) {
    PassManagerOptions manager_options;
    manager_options.pipeline_rounds = 3;
    PassManager manager(manager_options);
    for (const auto& group : PipelineForLevel(2)) EXPECT_TRUE(manager.addGroup(group).ok());
    EXPECT_TRUE(manager.run(model).ok());
    size_t shape_ops = 0;
    for (const Node* node : model.graph().nodes()) shape_ops += node->is("Shape") ? 1 : 0;
    return std::pair{model.graph().nodeCount(), shape_ops};
  };
  auto dynamic = LoadModel(SourceDir() / "fixtures" / "transformer_encoder.onnx");
  ASSERT_TRUE(dynamic.ok());
  auto [dynamic_nodes, dynamic_shapes] = optimized_nodes(**dynamic);
  auto fixed = LoadModel(SourceDir() / "fixtures" / "transformer_encoder.onnx");
  ASSERT_TRUE(fixed.ok());
  FixInputShapesOptions options;
  options.overrides.push_back({"input_ids", {2, 16}});
  ASSERT_TRUE(FixInputShapes(**fixed, options).ok());
  EXPECT_EQ(ShapeText((*fixed)->graph().outputDeclaration(0).type()), "[2,16,64]");
  auto [fixed_nodes, fixed_shapes] = optimized_nodes(**fixed);
  EXPECT_LT(fixed_nodes, dynamic_nodes);
  EXPECT_GT(dynamic_shapes, 0u);
  EXPECT_EQ(fixed_shapes, 0u);
  RecordProperty("nodes_dynamic", static_cast<int>(dynamic_nodes));
  RecordProperty("nodes_fixed", static_cast<int>(fixed_nodes));
  for (const Sample& sample : FixtureSamples("transformer_encoder", **fixed)) {
    auto actual = RunWithFloatIo(**fixed, sample.inputs);
    ASSERT_TRUE(actual.ok()) << actual.message();
    auto c = runtime::CompareTensors(sample.outputs[0], (*actual)[0], {1e-4, 1e-4});
    EXPECT_TRUE(c.within_tolerance) << c.max_absolute_error;
  }
}

}  // namespace
}  // namespace onnxkit
