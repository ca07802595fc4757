#include <gtest/gtest.h>

#include "passes/registry.h"
#include "tests/passes/pass_test_runner.h"
#include "tests/test_util.h"

namespace onnxkit::testing {
namespace {

const std::vector<std::string> kPass = {"constants-to-initializers"};

TEST(ConstantsToInitializers, TensorValue) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      c = Constant<value = float[2] {1, 2}>()
      y = Add(x, c)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) <float[2] c = {1, 2}> {
      y = Add(x, c)
    }
  )"}), 1u);
}

TEST(ConstantsToInitializers, ScalarAndListAttributes) {
  EXPECT_EQ(CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, int64[2] i) => (float[2] y, int64[2] z) {
      f = Constant<value_float = 2.5>()
      fs = Constant<value_floats = [1.0, 2.0]>()
      n = Constant<value_int = 3>()
      ns = Constant<value_ints = [4, 5]>()
      a = Mul(x, f)
      y = Add(a, fs)
      b = Mul(i, n)
      z = Add(b, ns)
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x, int64[2] i) => (float[2] y, int64[2] z)
      <float f = {2.5}, float[2] fs = {1, 2}, int64 n = {3}, int64[2] ns = {4, 5}> {
      a = Mul(x, f)
      y = Add(a, fs)
      b = Mul(i, n)
      z = Add(b, ns)
    }
  )"}), 4u);
}

TEST(ConstantsToInitializers, Strings) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (string[2] x) => (string[2] y, string[1] z) {
      s = Constant<value_string = "a">()
      ss = Constant<value_strings = ["b", "c"]>()
      y = Identity(ss)
      z = Reshape(s, one)
      one = Constant<value_ints = [1]>()
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (string[2] x) => (string[2] y, string[1] z) <string s = {"a"}, string[2] ss = {"b", "c"}, int64[1] one = {1}> {
      y = Identity(ss)
      z = Reshape(s, one)
    }
  )"});
}

TEST(ConstantsToInitializers, KeepsASparseValue) {
  // The text syntax has no sparse tensors: the attribute is set through the IR.
  auto model = ParseModel(R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y) {
      c = Constant<value = float[2] {1, 2}>()
      y = Add(x, c)
    }
  )");
  Node* constant = model->graph().nodes().front();
  ASSERT_TRUE(constant->is("Constant"));
  onnx::AttributeProto proto;
  proto.set_name("sparse_value");
  proto.set_type(onnx::AttributeProto::SPARSE_TENSOR);
  onnx::SparseTensorProto* sparse = proto.mutable_sparse_tensor();
  sparse->add_dims(2);
  sparse->mutable_values()->set_data_type(onnx::TensorProto::FLOAT);
  sparse->mutable_values()->add_dims(1);
  sparse->mutable_values()->add_float_data(5);
  sparse->mutable_indices()->set_data_type(onnx::TensorProto::INT64);
  sparse->mutable_indices()->add_dims(1);
  sparse->mutable_indices()->add_int64_data(1);
  constant->removeAttribute("value");
  constant->setAttribute(Attribute::FromProto(proto));
  std::string before = Serialize(*model);
  auto rewrites = FindPass("constants-to-initializers")->create(PassOptions{})->run(*model);
  ASSERT_TRUE(rewrites.ok()) << rewrites.message();
  EXPECT_EQ(*rewrites, 0u);
  EXPECT_EQ(Serialize(*model), before);
}

TEST(ConstantsToInitializers, KeepsAConstantThatIsAGraphOutput) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (float[2] x) => (float[2] y, float[2] c) {
      c = Constant<value = float[2] {1, 2}>()
      y = Add(x, c)
    }
  )", kPass, ""});
}

TEST(ConstantsToInitializers, NothingBeforeIrVersion4) {
  CheckPassCase({R"(
    <ir_version: 3, opset_import: ["" : 8]>
    g (float[2] x) => (float[2] y) {
      c = Constant<value = float[2] {1, 2}>()
      y = Add(x, c)
    }
  )", kPass, ""});
}

TEST(ConstantsToInitializers, InsideSubgraphs) {
  CheckPassCase({R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2] x) => (float[2] y) {
      y = If(b) <then_branch = t () => (float[2] v) { c = Constant<value = float[2] {1, 2}>()  v = Add(x, c) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )", kPass, R"(
    <ir_version: 8, opset_import: ["" : 17]>
    g (bool b, float[2] x) => (float[2] y) {
      y = If(b) <then_branch = t () => (float[2] v) <float[2] c = {1, 2}> { v = Add(x, c) },
                  else_branch = e () => (float[2] w) { w = Abs(x) }>
    }
  )"});
}

}  // namespace
}  // namespace onnxkit::testing
