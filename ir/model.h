// A model: the main graph plus everything else of the ModelProto (ir_version, opset imports,
// producer, metadata, model-local functions, training info, unknown fields), kept as read.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"

namespace onnxkit {

// Every value name used anywhere in a model (all graphs share it), so that fresh names never
// collide with a name in any scope. Names are only added, never removed.
class NameTable {
 public:
  void add(const std::string& name) { names_.insert(name); }
  bool contains(const std::string& name) const { return names_.count(name) > 0; }
  std::string fresh(std::string_view hint);

 private:
  std::unordered_set<std::string> names_;
  uint64_t counter_ = 0;
};

class Model {
 public:
  Model();
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  Graph& graph() { return *graph_; }
  const Graph& graph() const { return *graph_; }

  // The ModelProto without its graph.
  const onnx::ModelProto& metadata() const { return metadata_; }
  onnx::ModelProto* mutableMetadata() { return &metadata_; }

  int64_t irVersion() const { return metadata_.ir_version(); }
  // The opset version imported for `domain` ("" and "ai.onnx" are the same domain).
  std::optional<int64_t> opsetVersion(std::string_view domain) const;
  // Imports `domain` at `version`, or changes the version of an existing import.
  void setOpsetVersion(std::string_view domain, int64_t version);

  NameTable& names() { return names_; }

  // Exchanges everything (metadata, names, graphs) with `other`, so a model rebuilt from a
  // converted ModelProto can take the place of one that callers hold by reference.
  void swap(Model& other);

 private:
  onnx::ModelProto metadata_;
  NameTable names_;
  std::unique_ptr<Graph> graph_;
};

inline bool IsOnnxDomain(std::string_view domain) { return domain.empty() || domain == "ai.onnx"; }

}  // namespace onnxkit
