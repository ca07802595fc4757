#include "passes/quant/quantize_dynamic.h"

#include <map>
#include <set>

#include "ir/pattern.h"
#include "passes/fuse/fusion_util.h"
#include "ir/rewrite.h"
#include "passes/analysis/shape_inference.h"

namespace onnxkit::quant {
namespace {

// W [K, N] from a MatMul weight, or from Gemm's B (transposed when transB = 1).
TensorPtr WeightAsKByN(const Tensor& b, bool transpose) {
  if (!transpose) return nullptr;
  int64_t rows = b.dims()[0], cols = b.dims()[1];
  std::vector<float> in = b.ToVector<float>(), out(in.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) out[static_cast<size_t>(c * rows + r)] = in[static_cast<size_t>(r * cols + c)];
  return Tensor::FromValues<float>(DataType::kFloat, {cols, rows}, std::span<const float>(out));
}

class DynamicQuantizer {
 public:
  DynamicQuantizer(Model& model, const DynamicOptions& options, DynamicReport& report)
      : model_(model), graph_(model.graph()), options_(options), report_(report) {}

  Status run() {
    std::optional<int64_t> opset = model_.opsetVersion("");
    if (!opset || *opset < 11)
      return Status::Error("dynamic quantization needs opset >= 11 (DynamicQuantizeLinear), the model imports {}",
                           opset ? fmt::format("opset {}", *opset) : std::string("no default-domain opset"));
    ShapeInferenceResult inferred = InferShapes(model_, /*record_in_model=*/false);
    ONNXKIT_ASSIGN_OR_RETURN(std::vector<Node*> order, graph_.topologicalOrder());
    for (Node* node : order) {
      if (!node->isOnnxDomain() || !options_.op_types.count(node->opType()) ||
          options_.exclude_nodes.count(node->name()))
        continue;
      if (node->is("Conv")) {
        Value* x = node->input(0);
        TensorPtr w = ConstantTensor(node->input(1));
        if (!x || ConstantTensor(x) || !w || w->dtype() != DataType::kFloat || w->rank() < 3 || !isFloat(x, inferred))
          continue;
        if (Value* b = node->input(2); b && (!ConstantTensor(b) || ConstantTensor(b)->dtype() != DataType::kFloat))
          continue;
        ONNXKIT_RETURN_IF_ERROR(quantizeConv(*node, x, *w));
        ++report_.quantized_nodes;
        continue;
      }
      if (!node->is("MatMul") && !node->is("Gemm")) continue;
      Value* a = node->input(0);
      TensorPtr w = ConstantTensor(node->input(1));
      if (!a || ConstantTensor(a) || !w || w->dtype() != DataType::kFloat || w->rank() != 2) continue;
      if (!isFloat(a, inferred)) continue;
      if (node->is("Gemm")) {
        if (node->getInt("transA", 0) != 0) continue;
        if (Value* c = node->input(2); c && !ConstantTensor(c)) continue;
      }
      ONNXKIT_RETURN_IF_ERROR(quantize(*node, a, *w));
      ++report_.quantized_nodes;
    }
    return graph_.sortTopologically();
  }

 private:
  bool isFloat(Value* v, const ShapeInferenceResult& inferred) const {
    DataType t = KnownElemType(v);
    if (t == DataType::kUndefined) {
      auto it = inferred.main_graph_types.find(v->name());
      if (it != inferred.main_graph_types.end() && it->second.has_tensor_type())
        t = static_cast<DataType>(it->second.tensor_type().elem_type());
    }
    return t == DataType::kFloat;
  }

  Node* dynamicQuantize(Value* a, Node* before) {
    auto it = dynamic_.find(a);
    if (it != dynamic_.end()) return it->second;
    Node* q = graph_.createNode("DynamicQuantizeLinear", {a}, 3, a->name() + "_q", before);
    dynamic_[a] = q;
    return q;
  }

  // Conv(x, W, B) → Add(Mul(Cast<float>(ConvInteger(xq, Wq, zx[, zw])), Mul(sx, sw[M,1..1])), B[M,1..1]).
  Status quantizeConv(Node& node, Value* x, const Tensor& w) {
    WeightOptions weight_options{options_.weight_type, options_.symmetric_weights, options_.reduce_range};
    ONNXKIT_ASSIGN_OR_RETURN(QuantizedWeight qw,
                             QuantizeWeight(w, options_.per_channel ? std::optional<int64_t>(0) : std::nullopt,
                                            weight_options));
    std::string hint = node.input(1)->name();
    std::string out_hint = node.output(0)->name();
    // Per-channel values shaped [M, 1, ..., 1] to broadcast over [N, M, spatial...].
    std::vector<int64_t> channel_dims(w.rank() - 1, 1);
    channel_dims[0] = static_cast<int64_t>(qw.scales.size());
    if (qw.scales.size() == 1) channel_dims.clear();
    Node* dql = dynamicQuantize(x, &node);
    std::vector<Value*> inputs = {dql->output(0), graph_.addInitializer(hint + "_q", qw.data), dql->output(2)};
    bool zero_zp = true;
    for (int32_t z : qw.zero_points) zero_zp &= z == 0;
    if (!zero_zp)
      inputs.push_back(graph_.addInitializer(hint + "_z", ZeroPointTensor(qw.zero_points, ToDataType(qw.type))));
    Node* conv = graph_.createNode("ConvInteger", std::span<Value* const>(inputs), 1, out_hint + "_i", &node);
    for (const Attribute& attribute : node.attributes()) conv->setAttribute(Attribute::FromProto(attribute.proto()));
    Node* cast = graph_.createNode("Cast", {conv->output(0)}, 1, out_hint + "_f", &node);
    cast->setAttribute(Attribute::Int("to", static_cast<int64_t>(DataType::kFloat)));
    Value* ws = graph_.addInitializer(hint + "_s", Tensor::FromValues<float>(DataType::kFloat, channel_dims,
                                                                             std::span<const float>(qw.scales)));
    Node* scale = graph_.createNode("Mul", {dql->output(1), ws}, 1, out_hint + "_s", &node);
    Node* y = graph_.createNode("Mul", {cast->output(0), scale->output(0)}, 1, out_hint + "_y", &node);
    Value* result = y->output(0);
    if (Value* b = node.input(2)) {
      std::vector<float> bias = ConstantTensor(b)->ToVector<float>();
      std::vector<int64_t> bias_dims(w.rank() - 1, 1);
      bias_dims[0] = static_cast<int64_t>(bias.size());
      Value* bv = graph_.addInitializer(b->name() + "_r", Tensor::FromValues<float>(DataType::kFloat, bias_dims,
                                                                                   std::span<const float>(bias)));
      result = graph_.createNode("Add", {result, bv}, 1, out_hint + "_b", &node)->output(0);
    }
    return replaceAndRemove(node, result);
  }

  Status replaceAndRemove(Node& node, Value* result) {
    Value* old_out = node.output(0);
    if (!ReplaceValue(old_out, result)) return Status::Error("{}: cannot replace its output", node.describe());
    std::vector<Value*> old_inputs(node.inputs().begin(), node.inputs().end());
    graph_.removeNode(&node);
    for (Value* v : std::set<Value*>(old_inputs.begin(), old_inputs.end())) {
      if (!v || v->hasUses() || v->isGraphOutput() || v->isGraphInput()) continue;
      if (v->producer()) RemoveDeadProducers(v);  // a Constant node
      else if (v->isConstant()) graph_.eraseValue(v);
    }
    return Status::Ok();
  }

  Status quantize(Node& node, Value* a, const Tensor& w) {
    bool gemm = node.is("Gemm");
    TensorPtr transposed = WeightAsKByN(w, gemm && node.getInt("transB", 0) != 0);
    const Tensor& kn = transposed ? *transposed : w;
    WeightOptions weight_options{options_.weight_type, options_.symmetric_weights, options_.reduce_range};
    ONNXKIT_ASSIGN_OR_RETURN(QuantizedWeight qw,
                             QuantizeWeight(kn, options_.per_channel ? std::optional<int64_t>(1) : std::nullopt,
                                            weight_options));
    float alpha = gemm ? node.getFloat("alpha", 1.0f) : 1.0f;
    std::vector<float> scales = qw.scales;
    for (float& s : scales) s *= alpha;
    std::string hint = node.input(1)->name();

    Node* dql = dynamicQuantize(a, &node);
    Value* wq = graph_.addInitializer(hint + "_q", qw.data);
    std::vector<Value*> inputs = {dql->output(0), wq, dql->output(2)};
    bool zero_zp = true;
    for (int32_t z : qw.zero_points) zero_zp &= z == 0;
    if (!zero_zp)
      inputs.push_back(graph_.addInitializer(hint + "_z", ZeroPointTensor(qw.zero_points, ToDataType(qw.type))));
    std::string out_hint = node.output(0)->name();
    Node* mm = graph_.createNode("MatMulInteger", std::span<Value* const>(inputs), 1, out_hint + "_i", &node);
    Node* cast = graph_.createNode("Cast", {mm->output(0)}, 1, out_hint + "_f", &node);
    cast->setAttribute(Attribute::Int("to", static_cast<int64_t>(DataType::kFloat)));
    Value* ws = graph_.addInitializer(hint + "_s", ScaleTensor(scales));
    Node* scale = graph_.createNode("Mul", {dql->output(1), ws}, 1, out_hint + "_s", &node);
    Node* y = graph_.createNode("Mul", {cast->output(0), scale->output(0)}, 1, out_hint + "_y", &node);
    Value* result = y->output(0);
    if (gemm && node.input(2)) {
      Value* c = node.input(2);
      float beta = node.getFloat("beta", 1.0f);
      if (beta != 1.0f) {
        TensorPtr ct = ConstantTensor(c);
        if (ct->dtype() != DataType::kFloat) return Status::Error("{}: C is not float", node.describe());
        std::vector<float> values = ct->ToVector<float>();
        for (float& v : values) v *= beta;
        std::span<const int64_t> dims = ct->dims();
        c = graph_.addInitializer(c->name() + "_beta", Tensor::FromValues<float>(
            DataType::kFloat, std::vector<int64_t>(dims.begin(), dims.end()), std::span<const float>(values)));
      }
      Node* add = graph_.createNode("Add", {result, c}, 1, out_hint + "_b", &node);
      result = add->output(0);
    }
    return replaceAndRemove(node, result);
  }

  Model& model_;
  Graph& graph_;
  const DynamicOptions& options_;
  DynamicReport& report_;
  std::map<Value*, Node*> dynamic_;
};

}  // namespace

Status QuantizeDynamic(Model& model, const DynamicOptions& options, DynamicReport* report) {
  DynamicReport local;
  return DynamicQuantizer(model, options, report ? *report : local).run();
}

}  // namespace onnxkit::quant
