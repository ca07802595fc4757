// Session and compareModels(): the bundled runtime behind the public tensors.
#include "onnxkit/runtime.h"

#include <fmt/format.h>

#include "api/internal.h"
#include "runtime/model_compare.h"
#include "runtime/sample_data.h"

namespace onnxkit::api {
namespace {

NamedTensors ToNamedTensors(std::vector<runtime::NamedTensor> tensors) {
  NamedTensors named;
  for (auto& [name, tensor] : tensors) named.emplace(name, TensorAccess::FromRuntime(std::move(tensor)));
  return named;
}

}  // namespace

struct Session::Impl {
  std::shared_ptr<const Model::Impl> model;  // the state the session plans were made for
  std::unique_ptr<runtime::Session> session;
  std::vector<ValueInfo> inputs, outputs;
};

Session::Session(const Model& model, const SessionOptions& options) {
  Guard([&] {
    auto impl = std::make_unique<Impl>();
    impl->model = ModelAccess::Share(model);
    runtime::SessionOptions session_options;
    session_options.max_loop_iterations = options.max_loop_iterations;
    impl->session = Unwrap(runtime::Session::Create(*impl->model->model, session_options));
    for (const auto& spec : impl->session->inputs()) impl->inputs.push_back(ToValueInfo(spec));
    for (const auto& spec : impl->session->outputs()) impl->outputs.push_back(ToValueInfo(spec));
    impl_ = std::move(impl);
  });
}

Session::Session(Session&& other) noexcept = default;
Session& Session::operator=(Session&& other) noexcept = default;
Session::~Session() = default;

namespace {
void CheckNotMoved(const std::unique_ptr<Session::Impl>& impl) {
  if (!impl) throw Error("use of a moved-from onnxkit::api::Session");
}
}  // namespace

const std::vector<ValueInfo>& Session::inputs() const {
  CheckNotMoved(impl_);
  return impl_->inputs;
}

const std::vector<ValueInfo>& Session::outputs() const {
  CheckNotMoved(impl_);
  return impl_->outputs;
}

NamedTensors Session::run(const NamedTensors& inputs) {
  CheckNotMoved(impl_);
  return Guard([&] {
    std::vector<runtime::NamedTensor> feeds;
    for (const auto& [name, tensor] : inputs) {
      if (!tensor.defined()) throw Error(fmt::format("input '{}' is an undefined tensor", name));
      feeds.emplace_back(name, TensorAccess::ToRuntime(tensor));
    }
    std::vector<runtime::Tensor> results = Unwrap(impl_->session->run(feeds));
    NamedTensors outputs;
    for (size_t i = 0; i < results.size() && i < impl_->outputs.size(); ++i)
      outputs.emplace(impl_->outputs[i].name, TensorAccess::FromRuntime(std::move(results[i])));
    return outputs;
  });
}

NamedTensors Session::randomInputs(uint64_t seed) const {
  CheckNotMoved(impl_);
  return Guard([&] {
    return ToNamedTensors(Unwrap(runtime::CompleteWithRandomInputs(impl_->session->inputs(), {}, {}, seed)));
  });
}

std::vector<NamedTensors> Session::readSamples(const std::filesystem::path& folder) const {
  CheckNotMoved(impl_);
  return Guard([&] {
    std::vector<NamedTensors> samples;
    for (const auto& sample_folder : Unwrap(runtime::ListSampleFolders(folder)))
      samples.push_back(ToNamedTensors(Unwrap(runtime::ReadSampleFolder(sample_folder, impl_->session->inputs()))));
    return samples;
  });
}

Comparison compareModels(const Model& reference, const Model& candidate, const CompareOptions& options) {
  return Guard([&] {
    auto reference_session = Unwrap(runtime::Session::Create(ModelAccess::Get(reference)));
    auto candidate_session = Unwrap(runtime::Session::Create(ModelAccess::Get(candidate)));
    auto samples = Unwrap(runtime::LoadSamples(reference_session->inputs(), options.data.string(),
                                               options.random_samples, {}, options.seed));
    runtime::Tolerance tolerance{options.rtol, options.atol};
    runtime::ModelComparison compared =
        Unwrap(runtime::CompareModels(*reference_session, *candidate_session, samples, tolerance));
    Comparison comparison;
    comparison.samples = compared.samples;
    for (size_t i = 0; i < compared.outputs.size(); ++i) {
      const runtime::TensorComparison& c = compared.outputs[i];
      OutputComparison output;
      output.name = i < compared.output_names.size() ? compared.output_names[i] : std::string();
      output.within_tolerance = c.within_tolerance;
      output.max_absolute_error = c.max_absolute_error;
      output.max_relative_error = c.max_relative_error;
      output.cosine_similarity = c.cosine_similarity;
      output.elements_beyond_tolerance = c.elements_beyond_tolerance;
      output.new_non_finite = c.new_non_finite;
      output.top1_agreement = c.top1_agreement;
      output.problem = c.problem;
      comparison.outputs.push_back(std::move(output));
    }
    return comparison;
  });
}

}  // namespace onnxkit::api
