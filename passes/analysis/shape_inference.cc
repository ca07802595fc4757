#include "passes/analysis/shape_inference.h"

#include <google/protobuf/util/message_differencer.h>
#include <onnx/defs/schema.h>
#include <onnx/defs/shape_inference.h>
#include <onnx/shape_inference/implementation.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ir/onnx_export.h"

namespace onnxkit {
namespace {

// Shape tensors are small; larger tensors stay out of the exported copy (their bytes are not
// needed to infer shapes, only their dims and type, which the TensorProto keeps).
constexpr size_t kInlineBytes = 4096;

bool SameType(const onnx::TypeProto& a, const onnx::TypeProto& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// Copies inferred value_info of `proto` (an exported copy of `graph`) into the IR, recursing into
// subgraphs in the order the exporter wrote them.
void Apply(const onnx::GraphProto& proto, Graph& graph, size_t& changed) {
  std::unordered_map<std::string, Value*> by_name;
  for (Value* value : graph.values())
    if (value->isDefined()) by_name.emplace(value->name(), value);
  for (const auto& info : proto.value_info()) {
    auto it = by_name.find(info.name());
    if (it == by_name.end() || !info.has_type()) continue;
    Value* value = it->second;
    if (value->isGraphInput() || value->isGraphOutput() || value->isInitializer()) continue;
    if (value->hasType() && SameType(value->type(), info.type())) {
      if (!value->inValueInfo()) graph.setInValueInfo(value, true), ++changed;
      continue;
    }
    *value->mutableType() = info.type();
    graph.setInValueInfo(value, true);
    ++changed;
  }
  auto order = graph.topologicalOrder();
  if (!order.ok() || static_cast<int>(order->size()) != proto.node_size()) return;
  for (size_t n = 0; n < order->size(); ++n) {
    const onnx::NodeProto& node_proto = proto.node(static_cast<int>(n));
    const Node& node = *(*order)[n];
    int attribute_index = 0;
    for (const Attribute& attribute : node.attributes()) {
      const onnx::AttributeProto& attribute_proto = node_proto.attribute(attribute_index++);
      if (attribute.graph() && attribute_proto.has_g()) Apply(attribute_proto.g(), *attribute.graph(), changed);
      for (size_t g = 0; g < attribute.graphs().size() && static_cast<int>(g) < attribute_proto.graphs_size(); ++g)
        Apply(attribute_proto.graphs(static_cast<int>(g)), *attribute.graphs()[g], changed);
    }
  }
}

const onnx::ValueInfoProto* FindTyped(const onnx::GraphProto& graph, const std::string& name) {
  for (const auto& list : {&graph.input(), &graph.value_info(), &graph.output()})
    for (const auto& info : *list)
      if (info.name() == name && info.has_type()) return &info;
  return nullptr;
}

// libonnx 1.12 gives a Slice with non-constant starts or ends no shape at all, and everything
// downstream loses its shape with it (the position-id Slice of every exported BERT). The rank is
// certain — Slice keeps it — so such outputs get the input's rank with unknown dims, and the
// caller infers again. Returns how many outputs it completed.
size_t AddSliceRanks(onnx::GraphProto& graph) {
  size_t added = 0;
  for (const auto& node : graph.node()) {
    if (node.op_type() != "Slice" || !node.domain().empty() || node.input_size() < 1 || node.output_size() < 1) continue;
    const auto* output = FindTyped(graph, node.output(0));
    if (output && output->type().tensor_type().has_shape()) continue;
    auto input_rank_and_type = [&]() -> std::optional<std::pair<int, int32_t>> {
      if (const auto* input = FindTyped(graph, node.input(0)); input && input->type().tensor_type().has_shape())
        return std::pair{input->type().tensor_type().shape().dim_size(), input->type().tensor_type().elem_type()};
      for (const auto& initializer : graph.initializer())
        if (initializer.name() == node.input(0)) return std::pair{initializer.dims_size(), initializer.data_type()};
      return std::nullopt;
    }();
    if (!input_rank_and_type) continue;
    auto [rank, elem_type] = *input_rank_and_type;
    onnx::ValueInfoProto* info = nullptr;
    for (auto& existing : *graph.mutable_value_info())
      if (existing.name() == node.output(0)) info = &existing;
    if (!info) info = graph.add_value_info(), info->set_name(node.output(0));
    auto* tensor_type = info->mutable_type()->mutable_tensor_type();
    tensor_type->set_elem_type(elem_type);
    auto* shape = tensor_type->mutable_shape();
    shape->clear_dim();
    for (int i = 0; i < rank; ++i) shape->add_dim();
    ++added;
  }
  return added;
}

// libonnx 1.12's inference functions for the convolutions trust ranks they never compare: with
// no kernel_shape attribute they take the kernel's rank from W and index the per-axis attributes
// and X's shape with it, reading past their ends (a crash, not an exception) when W's rank is not
// X's; MaxUnpool reads dim 1 of its second input without looking. The registry below hands out
// copies of those schemas whose inference function checks the ranks first and otherwise fails
// the node (error_mode 0: that node gets no shapes, like any other inference error). Found by
// fuzz/fuzz_optimize_model.
struct RankGuard {
  std::string_view op_type;
  int x;  // the data input
  int w;  // the weight input whose rank must equal the data's (-1: MaxUnpool's rule)
};
constexpr RankGuard kRankGuards[] = {
    {"Conv", 0, 1}, {"ConvInteger", 0, 1}, {"ConvTranspose", 0, 1}, {"QLinearConv", 0, 3}, {"MaxUnpool", 0, -1},
};

void CheckRanks(onnx::InferenceContext& context, const RankGuard& guard) {
  if (!onnx::hasInputShape(context, static_cast<size_t>(guard.x))) return;  // the original returns early too
  int x_rank = onnx::getInputShape(context, static_cast<size_t>(guard.x)).dim_size();
  if (guard.w < 0) {  // MaxUnpool: X, I of the same rank, at least 2
    if (!onnx::hasInputShape(context, 1) || onnx::getInputShape(context, 1).dim_size() < 2)
      fail_shape_inference("MaxUnpool needs the shape of input 1 with rank 2 or more");
    return;
  }
  if (!onnx::hasInputShape(context, static_cast<size_t>(guard.w))) return;
  int w_rank = onnx::getInputShape(context, static_cast<size_t>(guard.w)).dim_size();
  if (x_rank < 2 || w_rank != x_rank)
    fail_shape_inference("input ", guard.x, " has rank ", x_rank, " and the weight rank ", w_rank,
                         "; they must be equal and at least 2");
}

class RankGuardedSchemaRegistry final : public onnx::ISchemaRegistry {
 public:
  const onnx::OpSchema* GetSchema(const std::string& key, const int max_version,
                                  const std::string& domain) const override {
    const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Instance()->GetSchema(key, max_version, domain);
    if (!schema || !(domain.empty() || domain == "ai.onnx") || !schema->has_type_and_shape_inference_function())
      return schema;
    const RankGuard* guard = nullptr;
    for (const RankGuard& candidate : kRankGuards)
      if (candidate.op_type == key) guard = &candidate;
    if (!guard) return schema;
    std::lock_guard lock(mutex_);
    std::unique_ptr<onnx::OpSchema>& guarded = guarded_[schema];
    if (!guarded) {
      guarded = std::make_unique<onnx::OpSchema>(*schema);
      guarded->TypeAndShapeInferenceFunction(
          [original = schema->GetTypeAndShapeInferenceFunction(), guard](onnx::InferenceContext& context) {
            CheckRanks(context, *guard);
            original(context);
          });
    }
    return guarded.get();
  }

 private:
  mutable std::mutex mutex_;
  mutable std::map<const onnx::OpSchema*, std::unique_ptr<onnx::OpSchema>> guarded_;
};

const onnx::ISchemaRegistry* SchemaRegistry() {
  static const RankGuardedSchemaRegistry registry;
  return &registry;
}

}  // namespace

ShapeInferenceResult InferShapes(Model& model, bool record_in_model) {
  ShapeInferenceResult result;
  ExportOptions options;
  options.placeholder_minimum_bytes = kInlineBytes;
  ExportedModel exported = ExportModel(model, options);
  std::unordered_map<std::string, onnx::TensorShapeProto> shape_data;
  try {
    onnx::ShapeInferenceOptions inference_options(/*check_type=*/false, /*error_mode=*/0, /*data_propagation=*/true);
    onnx::shape_inference::InferShapes(exported.proto, SchemaRegistry(), inference_options, &shape_data);
    for (int round = 0; round < 4 && AddSliceRanks(*exported.proto.mutable_graph()) > 0; ++round) {
      shape_data.clear();
      onnx::shape_inference::InferShapes(exported.proto, SchemaRegistry(), inference_options, &shape_data);
    }
  } catch (const std::exception&) {
    return result;  // inconsistent declared shapes, unknown ops in strict places, ...: no inference
  }
  if (record_in_model) Apply(exported.proto.graph(), model.graph(), result.values_changed);
  for (const auto& info : exported.proto.graph().value_info())
    if (info.has_type()) result.main_graph_types.emplace(info.name(), info.type());
  for (const auto& info : exported.proto.graph().output())
    if (info.has_type()) result.main_graph_types.emplace(info.name(), info.type());
  for (const auto& [name, shape] : shape_data) {
    std::vector<int64_t> values;
    bool complete = true;
    for (const auto& dim : shape.dim()) {
      if (!dim.has_dim_value()) {
        complete = false;
        break;
      }
      values.push_back(dim.dim_value());
    }
    if (complete) result.known_shape_values.emplace(name, std::move(values));
  }
  return result;
}

}  // namespace onnxkit
