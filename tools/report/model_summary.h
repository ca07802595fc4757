// The facts about a model, computed once: inputs/outputs, opsets, producer, op-type histogram,
// parameters per dtype, largest initializers, metadata, subgraphs, local functions. onnx-info's
// text, JSON and HTML writers and onnx-opt's --report page only format these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/model.h"

namespace onnxkit::tools {

// One dimension: a number, a symbol ("N") or unknown (both empty).
struct DimSummary {
  std::optional<int64_t> value;
  std::string symbol;
};

struct ValueSummary {
  std::string name;
  std::string type;  // "float", "int64", "sequence", ... ("unknown" without a type)
  std::optional<std::vector<DimSummary>> shape;  // nullopt: rank unknown
};

struct DtypeParameters {
  std::string dtype;
  int64_t tensors = 0;
  int64_t elements = 0;
  int64_t bytes = 0;
};

struct InitializerSummary {
  std::string name;
  std::string dtype;
  std::vector<int64_t> dims;
  int64_t elements = 0;
  int64_t bytes = 0;
};

struct SubgraphSummary {
  std::string node;       // the holding node's description: "node 'if0' (If)"
  std::string op_type;
  std::string attribute;  // "then_branch", "body", ...
  int depth = 1;          // 1: held by a node of the main graph
  int64_t node_count = 0;  // nodes directly in this subgraph
};

struct FunctionSummary {
  std::string domain;
  std::string name;
  int64_t node_count = 0;
  int64_t input_count = 0;
  int64_t output_count = 0;
};

struct ModelSummary {
  std::vector<ValueSummary> inputs;  // graph inputs without an initializer (default value)
  std::vector<ValueSummary> outputs;
  int64_t ir_version = 0;
  std::vector<std::pair<std::string, int64_t>> opsets;  // domain ("ai.onnx" for ""), version
  std::string producer_name;
  std::string producer_version;
  int64_t node_count = 0;             // every graph, subgraphs included
  int64_t main_graph_node_count = 0;
  std::vector<std::pair<std::string, int64_t>> op_histogram;  // by count, descending, then name
  int64_t initializer_count = 0;
  int64_t parameter_count = 0;  // elements of all initializers, subgraphs included
  int64_t parameter_bytes = 0;
  std::vector<DtypeParameters> parameters_per_dtype;  // by bytes, descending
  std::vector<InitializerSummary> largest_initializers;  // at most kLargestInitializers
  std::vector<std::pair<std::string, std::string>> metadata_props;
  std::vector<SubgraphSummary> subgraphs;
  std::vector<FunctionSummary> functions;
};

inline constexpr size_t kLargestInitializers = 10;

ModelSummary SummarizeModel(const Model& model);

// "float[N,3,224,224]", "float[?,3]", "float" (no shape), "unknown".
std::string FormatValueType(const ValueSummary& value);
// The summary of `value` as the writers see it.
ValueSummary SummarizeValue(const Value& value);
// The summary of a value named `name` of type `type` (e.g. one shape inference computed).
ValueSummary SummarizeType(const std::string& name, const onnx::TypeProto& type);

}  // namespace onnxkit::tools
