#include "passes/fuse/fuse_reshape_copy_dims.h"

#include <algorithm>

#include "ir/pattern.h"
#include "ir/rewrite.h"
#include "passes/fuse/fusion_util.h"

namespace onnxkit {
namespace {

// One element of a traced shape tensor: a constant, or dim `dim` of `source`.
struct Element {
  std::optional<int64_t> constant;
  const Value* source = nullptr;
  int64_t dim = 0;
};

struct Traced {
  std::vector<Element> elements;
  bool scalar = false;
};

// The dims of Shape(source): all of them, which needs the rank (start/end of opset 15 too).
std::optional<std::vector<Element>> ShapeElements(const Node& shape) {
  const Value* source = shape.input(0);
  std::optional<int64_t> rank = KnownRank(source);
  if (!rank) return std::nullopt;
  auto clamp = [&](int64_t bound) { return std::clamp(bound < 0 ? bound + *rank : bound, int64_t{0}, *rank); };
  int64_t start = clamp(shape.getInt("start", 0));
  int64_t end = clamp(shape.getInt("end", *rank));
  std::vector<Element> elements;
  for (int64_t i = start; i < end; ++i) elements.push_back({std::nullopt, source, i});
  return elements;
}

std::optional<Traced> Trace(const Value* value, int64_t opset) {
  if (!value) return std::nullopt;
  if (TensorPtr tensor = ConstantTensor(value)) {
    auto ints = ReadInts(tensor);
    if (!ints || tensor->rank() > 1) return std::nullopt;
    Traced traced{{}, tensor->rank() == 0};
    for (int64_t v : *ints) traced.elements.push_back({v});
    return traced;
  }
  const Node* node = value->producer();
  if (!node || !node->domain().empty() || node->outputCount() != 1) return std::nullopt;
  if (node->is("Shape")) {
    auto elements = ShapeElements(*node);
    if (!elements) return std::nullopt;
    return Traced{*elements, false};
  }
  if (node->is("Concat")) {
    if (node->getInt("axis", 0) != 0 && node->getInt("axis", 0) != -1) return std::nullopt;
    Traced traced;
    for (const Value* input : node->inputs()) {
      auto piece = Trace(input, opset);
      if (!piece || piece->scalar) return std::nullopt;
      traced.elements.insert(traced.elements.end(), piece->elements.begin(), piece->elements.end());
    }
    return traced;
  }
  if (node->is("Unsqueeze")) {
    auto axes = ReadAxesArgument(*node, opset >= 13, 1);
    if (!axes || !*axes || **axes != std::vector<int64_t>{0}) return std::nullopt;
    auto inner = Trace(node->input(0), opset);
    if (!inner || !inner->scalar) return std::nullopt;
    inner->scalar = false;
    return inner;
  }
  if (node->is("Gather") || node->is("Slice")) {
    const Node* shape = node->input(0) ? node->input(0)->producer() : nullptr;
    if (!shape || !shape->is("Shape")) return std::nullopt;
    auto all = ShapeElements(*shape);
    if (!all) return std::nullopt;
    int64_t size = static_cast<int64_t>(all->size());
    if (node->is("Gather")) {
      if (node->getInt("axis", 0) != 0) return std::nullopt;
      TensorPtr indices = ConstantTensor(node->input(1));
      auto values = ReadInts(indices);
      if (!values || indices->rank() > 1) return std::nullopt;
      Traced traced{{}, indices->rank() == 0};
      for (int64_t index : *values) {
        if (index < -size || index >= size) return std::nullopt;
        traced.elements.push_back((*all)[index < 0 ? index + size : index]);
      }
      return traced;
    }
    if (opset < 10 || node->inputCount() < 3) return std::nullopt;  // attribute Slice: rare on shapes
    auto starts = ReadInts(ConstantTensor(node->input(1)));
    auto ends = ReadInts(ConstantTensor(node->input(2)));
    if (!starts || !ends || starts->size() != 1 || ends->size() != 1) return std::nullopt;
    auto one_value_in = [&](size_t input, std::initializer_list<int64_t> allowed) {
      if (input >= node->inputCount() || !node->input(input)) return true;  // absent: axis 0, step 1
      auto v = ReadInts(ConstantTensor(node->input(input)));
      return v && v->size() == 1 && std::find(allowed.begin(), allowed.end(), (*v)[0]) != allowed.end();
    };
    if (!one_value_in(3, {0, -1}) || !one_value_in(4, {1})) return std::nullopt;
    auto clamp = [&](int64_t bound) { return std::clamp(bound < 0 ? bound + size : bound, int64_t{0}, size); };
    Traced traced;
    for (int64_t i = clamp((*starts)[0]); i < clamp((*ends)[0]); ++i) traced.elements.push_back((*all)[i]);
    return traced;
  }
  return std::nullopt;
}

// The declared dim `axis` of `value`: its value, or its symbolic name ("" when neither).
struct DeclaredDim {
  std::optional<int64_t> value;
  std::string symbol;
};
DeclaredDim Declared(const Value* value, int64_t axis) {
  if (!value->hasType() || !value->type().tensor_type().has_shape()) return {};
  const auto& shape = value->type().tensor_type().shape();
  if (axis >= shape.dim_size()) return {};
  const auto& dim = shape.dim(static_cast<int>(axis));
  if (dim.has_dim_value()) return {dim.dim_value(), ""};
  return {std::nullopt, dim.dim_param()};
}

// The constant for position j of a Reshape of `data`, or nullopt when it cannot be a constant.
std::optional<int64_t> Resolve(const Element& element, const Value* data, int64_t j) {
  if (element.constant) return element.constant;
  if (element.source == data && element.dim == j) return 0;
  DeclaredDim source = Declared(element.source, element.dim);
  if (source.value) return source.value;
  DeclaredDim target = Declared(data, j);
  if (!source.symbol.empty() && source.symbol == target.symbol) return 0;
  return std::nullopt;
}

}  // namespace

Result<size_t> FuseReshapeCopyDims::run(Model& model) {
  int64_t opset = model.opsetVersion("").value_or(0);
  if (opset < 5) return size_t{0};
  size_t fused = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    for (Node* reshape : graph.nodes()) {
      if (!reshape->is("Reshape") || reshape->inputCount() != 2 || !reshape->input(0) || !reshape->input(1)) continue;
      if (ConstantTensor(reshape->input(1))) continue;  // already constant
      if (reshape->getInt("allowzero", 0) != 0) {
        Explain(name(), *reshape, "allowzero = 1: a 0 would not copy a dim");
        continue;
      }
      auto traced = Trace(reshape->input(1), opset);
      if (!traced || traced->scalar) {
        Explain(name(), *reshape, "its shape is not traced to constants and dims of Shape nodes");
        continue;
      }
      std::vector<int64_t> target;
      for (size_t j = 0; j < traced->elements.size(); ++j) {
        auto value = Resolve(traced->elements[j], reshape->input(0), static_cast<int64_t>(j));
        if (!value) break;
        target.push_back(*value);
      }
      if (target.size() != traced->elements.size()) {
        Explain(name(), *reshape, "a dim of the target is not known to equal the input's dim at its position");
        continue;
      }
      Value* computed = reshape->input(1);
      reshape->setInput(1, graph.addInitializer(reshape->output(0)->name() + "_shape", MakeInt64Vector(target)));
      RemoveDeadProducers(computed);
      ++fused;
    }
  });
  return fused;
}

}  // namespace onnxkit
