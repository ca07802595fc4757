#include "passes/convert/input_shapes.h"

#include <charconv>
#include <map>
#include <unordered_map>

#include "passes/analysis/shape_inference.h"
#include "passes/convert/output_declarations.h"

namespace onnxkit {
namespace {

std::string DescribeShape(const onnx::TensorShapeProto& shape) {
  std::string text = "[";
  for (int i = 0; i < shape.dim_size(); ++i) {
    if (i > 0) text += ",";
    const auto& dim = shape.dim(i);
    text += dim.has_dim_value() ? std::to_string(dim.dim_value()) : dim.has_dim_param() ? dim.dim_param() : "?";
  }
  return text + "]";
}

struct PlannedInput {
  Value* input;
  std::vector<std::optional<int64_t>> fixed;  // per dim: the new value, or nullopt to leave it
  std::vector<int64_t> full_shape;            // for an input declared without a shape: the override
  bool set_full_shape = false;
};

}  // namespace

Result<InputShapeOverride> ParseInputShapeOverride(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return Status::Error("'{}' is not NAME:DIMS (for example input:1,3,224,224)", text);
  InputShapeOverride parsed;
  parsed.name = std::string(text.substr(0, colon));
  std::string_view dims = text.substr(colon + 1);
  for (size_t begin = 0; begin <= dims.size() && !dims.empty();) {
    size_t end = std::min(dims.find(',', begin), dims.size());
    std::string_view token = dims.substr(begin, end - begin);
    int64_t value = -1;
    auto [ptr, error] = std::from_chars(token.data(), token.data() + token.size(), value);
    if (token.empty() || error != std::errc() || ptr != token.data() + token.size() || value < 0)
      return Status::Error("'{}': dim '{}' is not a non-negative integer", text, token);
    parsed.dims.push_back(value);
    begin = end + 1;
  }
  return parsed;
}

Result<FixInputShapesReport> FixInputShapes(Model& model, const FixInputShapesOptions& options) {
  FixInputShapesReport report;
  Graph& graph = model.graph();
  std::unordered_map<std::string, Value*> inputs;
  std::string input_list;
  for (Value* input : graph.inputs()) {
    if (input->isConstant()) continue;
    inputs.emplace(input->name(), input);
    input_list += (input_list.empty() ? "" : ", ") + input->name();
  }

  // ----- Plan (and check) everything before changing anything -----
  std::vector<PlannedInput> plans;
  std::unordered_map<std::string, size_t> plan_of;
  auto plan_for = [&](Value* input) -> PlannedInput& {
    auto [it, inserted] = plan_of.emplace(input->name(), plans.size());
    if (inserted) {
      PlannedInput plan{input, {}, {}, false};
      if (input->rank()) plan.fixed.resize(static_cast<size_t>(*input->rank()));
      plans.push_back(std::move(plan));
    }
    return plans[it->second];
  };
  std::unordered_map<std::string, bool> overridden;
  for (const InputShapeOverride& override : options.overrides) {
    auto it = inputs.find(override.name);
    if (it == inputs.end())
      return Status::Error("--overwrite-input-shape: the model has no input '{}' (its inputs: {})", override.name,
                           input_list.empty() ? "none" : input_list);
    if (overridden[override.name])
      return Status::Error("--overwrite-input-shape: input '{}' is given twice", override.name);
    overridden[override.name] = true;
    Value* input = it->second;
    if (input->hasType() && !input->type().has_tensor_type())
      return Status::Error("--overwrite-input-shape: input '{}' is not a tensor", override.name);
    PlannedInput& plan = plan_for(input);
    if (!input->rank()) {
      plan.full_shape = override.dims;
      plan.set_full_shape = true;
      continue;
    }
    const auto& shape = input->type().tensor_type().shape();
    if (static_cast<int64_t>(override.dims.size()) != *input->rank())
      return Status::Error("--overwrite-input-shape: input '{}' has rank {} ({}); '{}' gives {} dims", override.name,
                           *input->rank(), DescribeShape(shape), override.name, override.dims.size());
    for (size_t d = 0; d < override.dims.size(); ++d) {
      const auto& dim = shape.dim(static_cast<int>(d));
      if (dim.has_dim_value() && dim.dim_value() != override.dims[d])
        return Status::Error("--overwrite-input-shape: input '{}' has dim {} = {} in the model ({}); it cannot become {}",
                             override.name, d, dim.dim_value(), DescribeShape(shape), override.dims[d]);
      if (!dim.has_dim_value()) plan.fixed[d] = override.dims[d];
    }
  }
  if (options.batch) {
    for (Value* input : graph.inputs()) {
      if (input->isConstant() || overridden[input->name()] || !input->rank() || *input->rank() < 1) continue;
      if (input->type().tensor_type().shape().dim(0).has_dim_value()) continue;
      plan_for(input).fixed[0] = *options.batch;
    }
  }

  // Symbolic names: one value each, then every other input dim of that name gets it.
  std::map<std::string, std::pair<int64_t, std::string>> symbols;  // name -> value, input that fixed it
  for (const PlannedInput& plan : plans) {
    if (plan.set_full_shape) continue;
    const auto& shape = plan.input->type().tensor_type().shape();
    for (size_t d = 0; d < plan.fixed.size(); ++d) {
      const auto& dim = shape.dim(static_cast<int>(d));
      if (!plan.fixed[d] || !dim.has_dim_param()) continue;
      auto [it, inserted] = symbols.emplace(dim.dim_param(), std::pair{*plan.fixed[d], plan.input->name()});
      if (!inserted && it->second.first != *plan.fixed[d])
        return Status::Error("symbolic dim '{}' would get two values: {} (input '{}') and {} (input '{}')",
                             dim.dim_param(), it->second.first, it->second.second, *plan.fixed[d], plan.input->name());
    }
  }
  for (Value* input : graph.inputs()) {
    if (input->isConstant() || !input->rank()) continue;
    const auto& shape = input->type().tensor_type().shape();
    for (int d = 0; d < shape.dim_size(); ++d) {
      if (!shape.dim(d).has_dim_param()) continue;
      auto symbol = symbols.find(shape.dim(d).dim_param());
      if (symbol == symbols.end()) continue;
      PlannedInput& plan = plan_for(input);
      auto& fixed = plan.fixed[static_cast<size_t>(d)];
      if (fixed && *fixed != symbol->second.first)
        return Status::Error("symbolic dim '{}' would get two values: {} (input '{}') and {} (input '{}')",
                             symbol->first, symbol->second.first, symbol->second.second, *fixed, input->name());
      fixed = symbol->second.first;
    }
  }

  // ----- Apply -----
  for (PlannedInput& plan : plans) {
    auto* shape = plan.input->mutableType()->mutable_tensor_type()->mutable_shape();
    if (plan.set_full_shape) {
      shape->clear_dim();
      for (int64_t value : plan.full_shape) shape->add_dim()->set_dim_value(value);
      report.dims_fixed += plan.full_shape.size();
      continue;
    }
    for (size_t d = 0; d < plan.fixed.size(); ++d) {
      if (!plan.fixed[d]) continue;
      auto* dim = shape->mutable_dim(static_cast<int>(d));
      dim->clear_dim_param();
      dim->set_dim_value(*plan.fixed[d]);
      ++report.dims_fixed;
    }
  }
  if (report.dims_fixed == 0) return report;

  convert::EditOutputDeclarations(graph, [&](size_t, onnx::ValueInfoProto& declaration) {
    if (!declaration.type().tensor_type().has_shape()) return;
    for (auto& dim : *declaration.mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim()) {
      if (!dim.has_dim_param()) continue;
      auto symbol = symbols.find(dim.dim_param());
      if (symbol == symbols.end()) continue;
      dim.clear_dim_param();
      dim.set_dim_value(symbol->second.first);
      ++report.output_dims_fixed;
    }
  });

  // Shapes derived from the dynamic inputs are stale: clear them (keeping element types).
  ForEachGraph(graph, [&](Graph& scope) {
    for (Value* value : scope.values()) {
      if (!value->producer() || !value->hasType() || !value->type().has_tensor_type() ||
          !value->type().tensor_type().has_shape())
        continue;
      value->mutableType()->mutable_tensor_type()->clear_shape();
      ++report.shapes_cleared;
    }
  });

  // Shape inference derives them again; output dims it now knows go into the declarations.
  ShapeInferenceResult inferred = InferShapes(model);
  convert::EditOutputDeclarations(graph, [&](size_t index, onnx::ValueInfoProto& declaration) {
    auto it = inferred.main_graph_types.find(graph.outputs()[index]->name());
    if (it == inferred.main_graph_types.end() || !it->second.tensor_type().has_shape()) return;
    const auto& shape = it->second.tensor_type().shape();
    auto* tensor_type = declaration.mutable_type()->mutable_tensor_type();
    if (!tensor_type->has_shape()) return;  // an output declared without a shape keeps it that way
    auto* declared = tensor_type->mutable_shape();
    if (declared->dim_size() != shape.dim_size()) return;
    for (int d = 0; d < shape.dim_size(); ++d) {
      if (declared->dim(d).has_dim_value() || !shape.dim(d).has_dim_value()) continue;
      declared->mutable_dim(d)->clear_dim_param();
      declared->mutable_dim(d)->set_dim_value(shape.dim(d).dim_value());
      ++report.output_dims_fixed;
    }
  });
  return report;
}

}  // namespace onnxkit
