// Everything the IR does not model structurally is carried through untouched: metadata, doc
// strings, model-local functions, training info, sparse initializers, value_info, quantization
// annotations, unknown domains, unknown attributes, typed-field tensors and unknown protobuf fields.
#include <gtest/gtest.h>

#include <google/protobuf/unknown_field_set.h>

#include "ir/model_io.h"
#include "ir/verifier.h"
#include "tests/test_util.h"

namespace onnxkit {
namespace {

using namespace onnxkit::testing;

onnx::ModelProto EverythingModel() {
  onnx::ModelProto model;
  model.set_ir_version(8);
  model.set_producer_name("carry-through-test");
  model.set_producer_version("1.0");
  model.set_domain("org.example");
  model.set_model_version(7);
  model.set_doc_string("model doc");
  auto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(17);
  auto* custom_opset = model.add_opset_import();
  custom_opset->set_domain("org.example.custom");
  custom_opset->set_version(3);
  auto* meta = model.add_metadata_props();
  meta->set_key("author");
  meta->set_value("tests");
  model.mutable_unknown_fields()->AddVarint(1000, 42);  // a field from a future ONNX version

  auto* function = model.add_functions();
  function->set_name("MyFunction");
  function->set_domain("org.example.custom");
  function->add_input("a");
  function->add_output("b");
  auto* fnode = function->add_node();
  fnode->set_op_type("Relu");
  fnode->add_input("a");
  fnode->add_output("b");
  function->add_opset_import()->set_version(17);

  auto* training = model.add_training_info();
  training->mutable_algorithm()->set_name("training algorithm");

  auto* graph = model.mutable_graph();
  graph->set_name("main");
  graph->set_doc_string("graph doc");
  graph->mutable_unknown_fields()->AddLengthDelimited(999, "future graph field");

  auto* x = graph->add_input();
  x->set_name("x");
  x->set_doc_string("input doc");
  auto* x_type = x->mutable_type()->mutable_tensor_type();
  x_type->set_elem_type(onnx::TensorProto::FLOAT);
  x_type->mutable_shape()->add_dim()->set_dim_param("N");
  x_type->mutable_shape()->add_dim()->set_dim_value(2);
  x->mutable_type()->set_denotation("TENSOR");

  auto* w = graph->add_initializer();  // typed field, not raw_data
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  w->add_dims(2);
  w->add_float_data(1.f);
  w->add_float_data(2.f);
  w->set_doc_string("weight doc");

  auto* big = graph->add_initializer();  // raw_data large enough to be cut and spliced
  big->set_name("big");
  big->set_data_type(onnx::TensorProto::INT64);
  big->add_dims(100);
  big->set_raw_data(std::string(800, '\x05'));

  auto* sparse = graph->add_sparse_initializer();
  sparse->add_dims(4);
  sparse->mutable_values()->set_name("s");
  sparse->mutable_values()->set_data_type(onnx::TensorProto::FLOAT);
  sparse->mutable_values()->add_dims(1);
  sparse->mutable_values()->add_float_data(3.f);
  sparse->mutable_indices()->set_data_type(onnx::TensorProto::INT64);
  sparse->mutable_indices()->add_dims(1);
  sparse->mutable_indices()->add_int64_data(2);

  auto* add = graph->add_node();
  add->set_op_type("Add");
  add->set_name("add");
  add->set_domain("");  // present but empty: presence must survive
  add->set_doc_string("node doc");
  add->add_input("x");
  add->add_input("w");
  add->add_output("t");
  auto* unknown_attribute = add->add_attribute();  // not in Add's schema
  unknown_attribute->set_name("my_hint");
  unknown_attribute->set_type(onnx::AttributeProto::STRINGS);
  unknown_attribute->add_strings("fast");
  unknown_attribute->set_doc_string("attribute doc");
  auto* tensors_attribute = add->add_attribute();
  tensors_attribute->set_name("my_tensors");
  tensors_attribute->set_type(onnx::AttributeProto::TENSORS);
  auto* attribute_tensor = tensors_attribute->add_tensors();
  attribute_tensor->set_data_type(onnx::TensorProto::INT32);
  attribute_tensor->add_dims(1);
  attribute_tensor->add_int32_data(9);
  auto* type_attribute = add->add_attribute();
  type_attribute->set_name("my_type");
  type_attribute->set_type(onnx::AttributeProto::TYPE_PROTO);
  type_attribute->mutable_tp()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT8);
  add->mutable_unknown_fields()->AddVarint(8, 1);  // e.g. NodeProto.overload in newer ONNX

  auto* custom = graph->add_node();
  custom->set_op_type("MyFunction");
  custom->set_domain("org.example.custom");
  custom->add_input("t");
  custom->add_output("y");

  auto* sparse_user = graph->add_node();
  sparse_user->set_op_type("Identity");
  sparse_user->add_input("s");
  sparse_user->add_output("z");

  auto* y = graph->add_output();
  y->set_name("y");
  y->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  auto* z = graph->add_output();
  z->set_name("z");
  auto* t = graph->add_value_info();
  t->set_name("t");
  t->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  auto* annotation = graph->add_quantization_annotation();
  annotation->set_tensor_name("t");
  auto* q = annotation->add_quant_parameter_tensor_names();
  q->set_key("SCALE_TENSOR");
  q->set_value("t_scale");
  return model;
}

TEST(CarryThrough, EveryFieldSurvivesARoundTrip) {
  onnx::ModelProto original = EverythingModel();
  std::string bytes = original.SerializeAsString();
  auto model = LoadModelFromBytes(SharedBytes::FromString(std::string(bytes)));
  ASSERT_TRUE(model.ok()) << model.message();
  EXPECT_TRUE(VerifyModel(**model).ok()) << VerifyModel(**model).message();
  std::string written = Serialize(**model);
  EXPECT_EQ(DiffModels(bytes, written), "");
  EXPECT_EQ(written, bytes);
}

TEST(CarryThrough, PassesKeepUnrelatedFields) {
  // Removing a node leaves every other field as it was.
  onnx::ModelProto original = EverythingModel();
  auto* extra = original.mutable_graph()->add_node();
  extra->set_op_type("Neg");
  extra->add_input("x");
  extra->add_output("unused");
  auto model = LoadModelFromBytes(SharedBytes::FromString(original.SerializeAsString()));
  ASSERT_TRUE(model.ok());
  Graph& g = (*model)->graph();
  g.removeNode(g.nodes().back());
  EXPECT_EQ(DiffModels(EverythingModel().SerializeAsString(), Serialize(**model)), "");
}

}  // namespace
}  // namespace onnxkit
