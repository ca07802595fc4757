// Graphviz DOT of a graph (see dot_writer.h).
#include "tools/report/dot_writer.h"

#include <fmt/format.h>

#include <unordered_map>

#include "tools/report/model_summary.h"

namespace onnxkit::tools {
namespace {

bool OneOf(std::string_view op, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (op == n) return true;
  return false;
}

// A DOT double-quoted string body.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string TypeLabel(const Value& value, const std::map<std::string, onnx::TypeProto>* inferred) {
  ValueSummary summary = SummarizeValue(value);
  if (inferred) {
    auto it = inferred->find(value.name());
    if (it != inferred->end()) summary = SummarizeType(value.name(), it->second);
  }
  return summary.type == "unknown" ? std::string() : FormatValueType(summary);
}

}  // namespace

OpKind ClassifyOp(std::string_view domain, std::string_view op) {
  bool onnx = domain.empty() || domain == "ai.onnx";
  if (op.starts_with("QLinear") || op.starts_with("QGemm") ||
      OneOf(op, {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "ConvInteger", "MatMulInteger",
                 "DynamicQuantizeMatMul", "MatMulIntegerToFloat"}))
    return OpKind::kQuantization;
  if (onnx && OneOf(op, {"If", "Loop", "Scan", "SequenceMap"})) return OpKind::kControlFlow;
  if (OneOf(op, {"Conv", "ConvTranspose", "MatMul", "Gemm", "FusedConv", "FusedGemm", "FusedMatMul", "Attention",
                 "MultiHeadAttention", "LSTM", "GRU", "RNN", "Einsum"}))
    return OpKind::kLinear;
  if (OneOf(op, {"Relu", "LeakyRelu", "PRelu", "Sigmoid", "HardSigmoid", "Tanh", "Softmax", "LogSoftmax", "Elu",
                 "Selu", "Celu", "Gelu", "FastGelu", "BiasGelu", "QuickGelu", "Softplus", "Softsign", "HardSwish",
                 "Mish", "Clip", "ThresholdedRelu", "Hardmax"}))
    return OpKind::kActivation;
  if (OneOf(op, {"BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
                 "LpNormalization", "MeanVarianceNormalization", "SkipLayerNormalization", "SimplifiedLayerNormalization",
                 "SkipSimplifiedLayerNormalization", "RMSNormalization", "LRN"}))
    return OpKind::kNormalization;
  if (OneOf(op, {"Reshape", "Transpose", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Split", "Slice", "Gather",
                 "GatherElements", "GatherND", "Scatter", "ScatterElements", "ScatterND", "Expand", "Tile", "Pad",
                 "Identity", "DepthToSpace", "SpaceToDepth", "Shape", "Size", "Cast", "CastLike", "Resize",
                 "Upsample", "Compress", "Where", "Range", "ConstantOfShape", "Constant"}))
    return OpKind::kDataMovement;
  return OpKind::kOther;
}

const std::vector<OpKind>& AllOpKinds() {
  static const std::vector<OpKind> kinds{OpKind::kLinear,       OpKind::kActivation,   OpKind::kNormalization,
                                         OpKind::kDataMovement, OpKind::kQuantization, OpKind::kControlFlow,
                                         OpKind::kOther};
  return kinds;
}

std::string_view OpKindName(OpKind kind) {
  switch (kind) {
    case OpKind::kLinear: return "conv / matmul / gemm";
    case OpKind::kActivation: return "activation";
    case OpKind::kNormalization: return "normalization";
    case OpKind::kDataMovement: return "data movement";
    case OpKind::kQuantization: return "quantization";
    case OpKind::kControlFlow: return "control flow";
    case OpKind::kOther: return "other";
  }
  return "other";
}

std::string_view OpKindColor(OpKind kind) {
  switch (kind) {
    case OpKind::kLinear: return "#9ecae1";
    case OpKind::kActivation: return "#fdd0a2";
    case OpKind::kNormalization: return "#c7e9c0";
    case OpKind::kDataMovement: return "#dadaeb";
    case OpKind::kQuantization: return "#fcbba1";
    case OpKind::kControlFlow: return "#fff7bc";
    case OpKind::kOther: return "#f0f0f0";
  }
  return "#f0f0f0";
}

std::string WriteDot(const Graph& graph, const std::map<std::string, onnx::TypeProto>* inferred) {
  auto type_label = [inferred](const Value& value) { return TypeLabel(value, inferred); };
  std::string out = fmt::format("digraph {} {{\n", Quote(graph.name().empty() ? "model" : graph.name()));
  out += "  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n";

  // Where each value comes from: a node id or a graph input id.
  std::unordered_map<const Value*, std::string> source;
  for (size_t i = 0; i < graph.inputs().size(); ++i) {
    const Value* input = graph.inputs()[i];
    if (input->initializer()) continue;  // a default value: drawn like any initializer (not at all)
    std::string id = fmt::format("input_{}", i);
    source[input] = id;
    out += fmt::format("  {} [shape=ellipse, style=filled, fillcolor=\"#ffffff\", label={}];\n", id,
                       Quote(input->name() + "\n" + type_label(*input)));
  }
  std::vector<Node*> nodes = graph.nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& node = *nodes[i];
    std::string id = fmt::format("node_{}", i);
    for (const Value* output : node.outputs())
      if (output) source[output] = id;
    std::string op = node.isOnnxDomain() ? node.opType() : node.domain() + "." + node.opType();
    std::string label = node.name().empty() ? op : op + "\n" + node.name();
    size_t initializers = 0;
    for (const Value* input : node.inputs())
      if (input && input->initializer() && !source.count(input)) ++initializers;
    if (initializers > 0) label += fmt::format("\n({} initializer{})", initializers, initializers == 1 ? "" : "s");
    for (const Attribute& attribute : node.attributes())
      attribute.forEachSubgraph([&](Graph& g) {
        label += fmt::format("\n[{}: subgraph, {} nodes]", attribute.name(), g.nodeCount());
      });
    out += fmt::format("  {} [shape=box, style=\"rounded,filled\", fillcolor=\"{}\", label={}];\n", id,
                       OpKindColor(ClassifyOp(node.domain(), node.opType())), Quote(label));
  }
  auto edge = [&](const std::string& from, const std::string& to, const Value& value, bool implicit) {
    std::string attributes = fmt::format("label={}", Quote(type_label(value)));
    if (implicit) attributes += ", style=dashed";
    out += fmt::format("  {} -> {} [{}];\n", from, to, attributes);
  };
  for (size_t i = 0; i < nodes.size(); ++i) {
    std::string id = fmt::format("node_{}", i);
    for (const Value* input : nodes[i]->inputs())
      if (input && source.count(input)) edge(source[input], id, *input, false);
    if (nodes[i]->hasSubgraphs())
      for (const Value* input : nodes[i]->outerScopeInputs())
        if (source.count(input)) edge(source[input], id, *input, true);
  }
  for (size_t i = 0; i < graph.outputs().size(); ++i) {
    const Value* output = graph.outputs()[i];
    std::string id = fmt::format("output_{}", i);
    out += fmt::format("  {} [shape=ellipse, style=filled, fillcolor=\"#ffffff\", label={}];\n", id,
                       Quote(output->name() + "\n" + type_label(*output)));
    if (source.count(output)) edge(source[output], id, *output, false);
  }
  return out + "}\n";
}

}  // namespace onnxkit::tools
