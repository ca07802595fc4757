#include "ir/model.h"

#include <fmt/format.h>

#include <utility>

namespace onnxkit {

std::string NameTable::fresh(std::string_view hint) {
  std::string base = hint.empty() ? std::string("v") : std::string(hint);
  if (!contains(base)) {
    add(base);
    return base;
  }
  std::string candidate;
  do {
    candidate = fmt::format("{}__{}", base, ++counter_);
  } while (contains(candidate));
  add(candidate);
  return candidate;
}

Model::Model() : graph_(std::make_unique<Graph>(this, nullptr)) {}
Model::~Model() = default;

void Model::swap(Model& other) {
  metadata_.Swap(&other.metadata_);
  std::swap(names_, other.names_);
  std::swap(graph_, other.graph_);
  ForEachGraph(*graph_, [this](Graph& graph) { graph.model_ = this; });
  ForEachGraph(*other.graph_, [&other](Graph& graph) { graph.model_ = &other; });
}

std::optional<int64_t> Model::opsetVersion(std::string_view domain) const {
  for (const auto& import : metadata_.opset_import()) {
    bool same = IsOnnxDomain(domain) ? IsOnnxDomain(import.domain()) : import.domain() == domain;
    if (same) return import.version();
  }
  return std::nullopt;
}

void Model::setOpsetVersion(std::string_view domain, int64_t version) {
  for (auto& import : *metadata_.mutable_opset_import()) {
    bool same = IsOnnxDomain(domain) ? IsOnnxDomain(import.domain()) : import.domain() == domain;
    if (same) {
      import.set_version(version);
      return;
    }
  }
  auto* import = metadata_.add_opset_import();
  import->set_domain(std::string(domain));
  import->set_version(version);
}

}  // namespace onnxkit
