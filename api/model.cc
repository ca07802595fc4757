// Model: the IR model behind a shared handle, copied on write when a Session still uses it.
#include "onnxkit/model.h"

#include <fmt/format.h>

#include "api/internal.h"
#include "ir/model_io.h"
#include "ir/model_statistics.h"
#include "ir/shared_bytes.h"
#include "ir/text_format.h"
#include "ir/verifier.h"

namespace onnxkit::api {
namespace {

// Verifies a freshly loaded model; `what` names it in the message ("model.onnx: invalid model: ...").
Model Verified(std::unique_ptr<onnxkit::Model> model, std::string_view what) {
  if (Status valid = VerifyModel(*model); !valid.ok())
    throw Error(fmt::format("{}: invalid model: {}", what, valid.message()));
  return ModelAccess::Wrap(std::move(model));
}

}  // namespace

Model ModelAccess::Wrap(std::unique_ptr<onnxkit::Model> model) {
  return Model(std::make_shared<Model::Impl>(std::move(model)));
}

const onnxkit::Model& ModelAccess::Get(const Model& model) {
  if (!model.impl_) throw Error("use of a moved-from onnxkit::api::Model");
  return *model.impl_->model;
}

onnxkit::Model& ModelAccess::Mutable(Model& model) {
  if (!model.impl_) throw Error("use of a moved-from onnxkit::api::Model");
  if (model.impl_.use_count() > 1) model.impl_ = std::make_shared<Model::Impl>(CloneModel(*model.impl_->model));
  return *model.impl_->model;
}

std::shared_ptr<const Model::Impl> ModelAccess::Share(const Model& model) {
  if (!model.impl_) throw Error("use of a moved-from onnxkit::api::Model");
  return model.impl_;
}

std::unique_ptr<onnxkit::Model> CloneModel(const onnxkit::Model& model) {
  std::string bytes = Unwrap(SerializeModel(model));
  return Unwrap(LoadModelFromBytes(SharedBytes::FromString(std::move(bytes))));
}

ValueInfo ToValueInfo(const runtime::ValueSpec& spec) {
  ValueInfo info;
  info.name = spec.name;
  info.type = static_cast<ElementType>(spec.type);
  info.has_shape = spec.has_shape;
  info.dims = spec.dims;
  info.has_default = spec.has_default;
  return info;
}

Model::Model(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&& other) noexcept = default;
Model& Model::operator=(Model&& other) noexcept = default;
Model::~Model() = default;

Model Model::load(const std::filesystem::path& path) {
  return Guard([&] { return Verified(Unwrap(LoadModel(path)), path.string()); });
}

Model Model::fromBytes(std::string_view serialized) {
  return Guard([&] {
    return Verified(Unwrap(LoadModelFromBytes(SharedBytes::Copy(serialized.data(), serialized.size()))), "model");
  });
}

Model Model::fromText(std::string_view text) {
  return Guard([&] { return Verified(Unwrap(ParseModelText(text)), "model"); });
}

Model Model::clone() const {
  return Guard([&] { return ModelAccess::Wrap(CloneModel(ModelAccess::Get(*this))); });
}

void Model::save(const std::filesystem::path& path, const SaveOptions& options) const {
  Guard([&] {
    onnxkit::SaveOptions save_options;
    save_options.external_data_threshold = options.external_data_threshold;
    Unwrap(SaveModel(ModelAccess::Get(*this), path, save_options));
  });
}

std::string Model::serialize() const {
  return Guard([&] { return Unwrap(SerializeModel(ModelAccess::Get(*this))); });
}

std::string Model::text() const {
  return Guard([&] { return PrintModelText(ModelAccess::Get(*this)); });
}

void Model::verify() const {
  Guard([&] { Check(VerifyModel(ModelAccess::Get(*this))); });
}

std::vector<ValueInfo> Model::inputs() const {
  return Guard([&] {
    const Graph& graph = ModelAccess::Get(*this).graph();
    std::vector<ValueInfo> inputs;
    for (const Value* input : graph.inputs()) {
      runtime::ValueSpec spec = runtime::DescribeValue(input->name(), input->hasType() ? &input->type() : nullptr);
      spec.has_default = input->isInitializer();
      inputs.push_back(ToValueInfo(spec));
    }
    return inputs;
  });
}

std::vector<ValueInfo> Model::outputs() const {
  return Guard([&] {
    const Graph& graph = ModelAccess::Get(*this).graph();
    std::vector<ValueInfo> outputs;
    for (size_t i = 0; i < graph.outputs().size(); ++i) {
      const auto& declaration = graph.outputDeclaration(i);
      outputs.push_back(ToValueInfo(runtime::DescribeValue(graph.outputs()[i]->name(),
                                                           declaration.has_type() ? &declaration.type() : nullptr)));
    }
    return outputs;
  });
}

ModelStats Model::stats() const {
  return Guard([&] {
    ModelStatistics s = ComputeStatistics(ModelAccess::Get(*this));
    ModelStats stats;
    stats.nodes = s.node_count;
    stats.nodes_per_op = s.nodes_per_op;
    stats.initializers = s.initializer_count;
    stats.parameters = s.parameter_count;
    stats.initializer_bytes = s.initializer_bytes;
    return stats;
  });
}

int64_t Model::irVersion() const { return ModelAccess::Get(*this).irVersion(); }

std::optional<int64_t> Model::opsetVersion(std::string_view domain) const {
  return ModelAccess::Get(*this).opsetVersion(domain);
}

}  // namespace onnxkit::api
