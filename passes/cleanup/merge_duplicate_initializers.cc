#include "passes/cleanup/merge_duplicate_initializers.h"

#include <functional>
#include <map>
#include <unordered_map>

#include "passes/cleanup/cleanup_util.h"

namespace onnxkit {
namespace {

// A hash of the first and last bytes only: equal tensors get equal hashes, and different weights
// almost always differ there, so large weights (often memory-mapped) are read in full only when
// they are probably equal (then compared byte for byte).
size_t HashContents(const Tensor& tensor) {
  constexpr size_t kEdge = 256;
  if (tensor.dtype() != DataType::kString) {
    std::string_view bytes = tensor.bytes().view();
    if (bytes.size() <= 2 * kEdge) return std::hash<std::string_view>()(bytes);
    return std::hash<std::string_view>()(bytes.substr(0, kEdge)) * 31 +
           std::hash<std::string_view>()(bytes.substr(bytes.size() - kEdge));
  }
  size_t hash = 0;
  for (const std::string& s : tensor.strings())
    hash ^= std::hash<std::string>()(s) + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
  return hash;
}

size_t MergeInGraph(Graph& graph) {
  // Group by (type, dims) first: only groups of two or more need their contents hashed.
  std::map<std::pair<int32_t, std::vector<int64_t>>, std::vector<Value*>> groups;
  for (Value* value : graph.initializers()) {
    if (value->isGraphInput()) continue;
    const Tensor& tensor = *value->initializer();
    groups[{static_cast<int32_t>(tensor.dtype()), std::vector<int64_t>(tensor.dims().begin(), tensor.dims().end())}]
        .push_back(value);
  }
  size_t merged = 0;
  for (auto& [key, values] : groups) {
    if (values.size() < 2) continue;
    std::unordered_map<size_t, std::vector<Value*>> kept;
    for (Value* value : values) {
      std::vector<Value*>& same_hash = kept[HashContents(*value->initializer())];
      Value* first = nullptr;
      for (Value* candidate : same_hash)
        if (cleanup::SameTensorContents(*candidate->initializer(), *value->initializer())) {
          first = candidate;
          break;
        }
      if (!first) {
        same_hash.push_back(value);
        continue;
      }
      if (value->isGraphOutput()) {
        if (!ReplaceValue(value, first)) continue;  // both are graph outputs: both stay
      } else if (value->hasUses()) {
        graph.replaceAllUsesWith(value, first);
      }
      graph.eraseValue(value);
      ++merged;
    }
  }
  return merged;
}

}  // namespace

Result<size_t> MergeDuplicateInitializers::run(Model& model) {
  size_t merged = 0;
  ForEachGraph(model.graph(), [&](Graph& graph) { merged += MergeInGraph(graph); });
  return merged;
}

}  // namespace onnxkit
