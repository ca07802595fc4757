#include "passes/cleanup/constants_to_initializers.h"

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

constexpr std::string_view kPassName = "constants-to-initializers";

// A tensor of `dims` whose data is in the typed field `fill` sets, as the attribute had it.
template <typename Fill>
TensorPtr TypedTensor(onnx::TensorProto::DataType type, std::initializer_list<int64_t> dims, Fill fill) {
  onnx::TensorProto proto;
  proto.set_data_type(type);
  for (int64_t dim : dims) proto.add_dims(dim);
  fill(proto);
  auto tensor = Tensor::FromProto(std::move(proto));
  return tensor.ok() ? std::move(tensor).value() : nullptr;
}

// The tensor a Constant node produces, or nullptr (with `why` set) when this pass leaves it.
TensorPtr ConstantValue(const Node& node, std::string& why) {
  if (node.attributes().size() != 1) {
    why = "it does not have exactly one attribute";
    return nullptr;
  }
  const Attribute& a = node.attributes().front();
  const std::string& name = a.name();
  using onnx::AttributeProto;
  using onnx::TensorProto;
  TensorPtr tensor;
  if (name == "value" && a.type() == AttributeProto::TENSOR) {
    tensor = a.tensor();
  } else if (name == "value_float" && a.type() == AttributeProto::FLOAT) {
    tensor = TypedTensor(TensorProto::FLOAT, {}, [&](TensorProto& p) { p.add_float_data(a.f()); });
  } else if (name == "value_floats" && a.type() == AttributeProto::FLOATS) {
    tensor = TypedTensor(TensorProto::FLOAT, {static_cast<int64_t>(a.floats().size())}, [&](TensorProto& p) {
      for (float v : a.floats()) p.add_float_data(v);
    });
  } else if (name == "value_int" && a.type() == AttributeProto::INT) {
    tensor = TypedTensor(TensorProto::INT64, {}, [&](TensorProto& p) { p.add_int64_data(a.i()); });
  } else if (name == "value_ints" && a.type() == AttributeProto::INTS) {
    tensor = TypedTensor(TensorProto::INT64, {static_cast<int64_t>(a.ints().size())}, [&](TensorProto& p) {
      for (int64_t v : a.ints()) p.add_int64_data(v);
    });
  } else if (name == "value_string" && a.type() == AttributeProto::STRING) {
    tensor = TypedTensor(TensorProto::STRING, {}, [&](TensorProto& p) { p.add_string_data(a.s()); });
  } else if (name == "value_strings" && a.type() == AttributeProto::STRINGS) {
    tensor = TypedTensor(TensorProto::STRING, {static_cast<int64_t>(a.strings().size())}, [&](TensorProto& p) {
      for (const std::string& v : a.strings()) p.add_string_data(v);
    });
  } else {
    why = fmt::format("attribute '{}' is not a dense constant", name);
    return nullptr;
  }
  if (!tensor) why = fmt::format("attribute '{}' holds no valid tensor", name);
  return tensor;
}

}  // namespace

Result<size_t> ConstantsToInitializers::run(Model& model) {
  if (model.irVersion() < 4) return size_t{0};
  size_t converted = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* node : graph.nodes()) {
      if (!node->is("Constant")) continue;
      Value* output = node->output(0);
      if (node->inputCount() != 0 || node->outputCount() != 1 || !output) {
        Explain(kPassName, *node, "unexpected inputs or outputs");
        continue;
      }
      if (output->isGraphOutput()) {
        Explain(kPassName, *node, "its output is a graph output");
        continue;
      }
      std::string why;
      TensorPtr tensor = ConstantValue(*node, why);
      if (!tensor) {
        Explain(kPassName, *node, why);
        continue;
      }
      Value* initializer = graph.addInitializer(output->name(), std::move(tensor));
      ONNXKIT_CHECK(ReplaceValue(output, initializer), "{}: output replacement", kPassName);
      graph.removeNode(node);
      ++converted;
    }
  });
  return converted;
}

}  // namespace onnxkit
