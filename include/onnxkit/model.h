// Loading, saving and inspecting ONNX models.
//
// A Model holds the toolchain's mutable representation of a .onnx file. Loading memory-maps the
// file (weights are not copied) and checks the graph; every field of the file survives a load and
// save unchanged unless a transformation (optimize(), quantizeStatic(), ...) changes it. Writes are
// atomic: a failed save leaves no file behind.
//
// Models are move-only; clone() makes an independent copy. A Session created from a model shares
// its state until the model is next transformed (copy on write), so a session may outlive its
// model and is not affected by later changes to it. Const member functions may run concurrently;
// a transformation of a model must not run concurrently with any other use of the same Model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onnxkit/error.h"
#include "onnxkit/export.h"
#include "onnxkit/tensor.h"

namespace onnxkit::api {

// A graph input or output as the model declares it.
struct ValueInfo {
  std::string name{};
  ElementType type = ElementType::kUndefined;  // kUndefined when not declared
  bool has_shape = false;
  std::vector<int64_t> dims{};  // -1 where the dim is symbolic or unknown
  bool has_default = false;   // an input with an initializer: it may be left out of a run
};

// What a model holds: node counts (subgraphs included) and initializer sizes.
struct ModelStats {
  int64_t nodes = 0;
  std::map<std::string, int64_t> nodes_per_op{};  // "Conv", "com.microsoft.FusedConv", ...
  int64_t initializers = 0;
  int64_t parameters = 0;  // elements of all initializers
  int64_t initializer_bytes = 0;
};

struct SaveOptions {
  // Tensors of at least this many bytes go to "<file name>.data" next to the model. Tensors that
  // were external when loaded stay external; a model above protobuf's 2 GiB limit is always
  // saved with external data.
  std::optional<uint64_t> external_data_threshold{};
};

struct ModelAccess;  // the library's access to the representation (api/internal.h)

class ONNXKIT_API Model {
 public:
  // Loads and verifies a .onnx file (external data is read from the file's folder). Throws Error
  // naming the file: missing, not a model, unsupported IR version, invalid graph.
  static Model load(const std::filesystem::path& path);
  // A serialized onnx.ModelProto with every tensor inline; verified as load() does.
  static Model fromBytes(std::string_view serialized);
  // A model in the ONNX textual syntax (onnx/defs/parser.h), e.g.
  //   <ir_version: 8, opset_import: ["" : 17]> g (float[N] x) => (float[N] y) { y = Relu(x) }
  static Model fromText(std::string_view text);

  Model(Model&& other) noexcept;
  Model& operator=(Model&& other) noexcept;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model();

  // An independent deep copy (weights included).
  Model clone() const;

  // Writes the model (atomically: a temporary file renamed over `path`).
  void save(const std::filesystem::path& path, const SaveOptions& options = {}) const;
  // One serialized onnx.ModelProto, every tensor inline; throws Error above 2 GiB.
  std::string serialize() const;
  // The model in the ONNX textual syntax.
  std::string text() const;

  // Runs the structural verifier again (load and every transformation already do): names defined
  // once and visible where used, no cycles, opset imports for every domain used. Throws Error
  // naming the node and the problem.
  void verify() const;

  std::vector<ValueInfo> inputs() const;
  std::vector<ValueInfo> outputs() const;
  ModelStats stats() const;
  int64_t irVersion() const;
  // The opset imported for `domain` ("" is the default ONNX domain), if any.
  std::optional<int64_t> opsetVersion(std::string_view domain = "") const;

  struct Impl;

 private:
  explicit Model(std::shared_ptr<Impl> impl);
  friend struct ModelAccess;
  std::shared_ptr<Impl> impl_;
};

}  // namespace onnxkit::api
