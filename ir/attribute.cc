#include "ir/attribute.h"

#include "ir/graph.h"

namespace onnxkit {

Attribute::Attribute() = default;
Attribute::~Attribute() = default;
Attribute::Attribute(Attribute&&) noexcept = default;
Attribute& Attribute::operator=(Attribute&&) noexcept = default;

Attribute Attribute::FromProto(onnx::AttributeProto proto) {
  Attribute attribute;
  attribute.proto_ = std::move(proto);
  return attribute;
}

namespace {
onnx::AttributeProto Named(std::string name, AttributeType type) {
  onnx::AttributeProto proto;
  proto.set_name(std::move(name));
  proto.set_type(type);
  return proto;
}
}  // namespace

Attribute Attribute::Int(std::string name, int64_t value) {
  auto proto = Named(std::move(name), onnx::AttributeProto::INT);
  proto.set_i(value);
  return FromProto(std::move(proto));
}

Attribute Attribute::Float(std::string name, float value) {
  auto proto = Named(std::move(name), onnx::AttributeProto::FLOAT);
  proto.set_f(value);
  return FromProto(std::move(proto));
}

Attribute Attribute::String(std::string name, std::string value) {
  auto proto = Named(std::move(name), onnx::AttributeProto::STRING);
  proto.set_s(std::move(value));
  return FromProto(std::move(proto));
}

Attribute Attribute::Ints(std::string name, std::span<const int64_t> values) {
  auto proto = Named(std::move(name), onnx::AttributeProto::INTS);
  for (int64_t v : values) proto.add_ints(v);
  return FromProto(std::move(proto));
}

Attribute Attribute::Floats(std::string name, std::span<const float> values) {
  auto proto = Named(std::move(name), onnx::AttributeProto::FLOATS);
  for (float v : values) proto.add_floats(v);
  return FromProto(std::move(proto));
}

Attribute Attribute::Strings(std::string name, std::span<const std::string> values) {
  auto proto = Named(std::move(name), onnx::AttributeProto::STRINGS);
  for (const auto& v : values) proto.add_strings(v);
  return FromProto(std::move(proto));
}

Attribute Attribute::OfTensor(std::string name, TensorPtr value) {
  Attribute attribute = FromProto(Named(std::move(name), onnx::AttributeProto::TENSOR));
  attribute.tensor_ = std::move(value);
  return attribute;
}

Attribute Attribute::OfGraph(std::string name, std::unique_ptr<Graph> value) {
  Attribute attribute = FromProto(Named(std::move(name), onnx::AttributeProto::GRAPH));
  attribute.graph_ = std::move(value);
  return attribute;
}

}  // namespace onnxkit
