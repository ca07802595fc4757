#include "passes/quant/calibration/calibrator.h"

#include "passes/quant/calibration/calibration_data.h"

namespace onnxkit::quant {

Calibrator::Calibrator(CalibrateOptions options, std::unique_ptr<runtime::Session> session)
    : options_(std::move(options)), session_(std::move(session)), wanted_(options_.tensors.begin(), options_.tensors.end()) {
  table_.model = options_.model_name;
  table_.averaging_constant = options_.averaging_constant;
  table_.histogram_bins = options_.histogram_bins;
  table_.method = options_.method;
  table_.percentile = options_.percentile;
}

Calibrator::~Calibrator() = default;

Result<std::unique_ptr<Calibrator>> Calibrator::Create(const Model& model, CalibrateOptions options) {
  if (options.histogram_bins < 2 || options.histogram_bins > (1 << 24))
    return Status::Error("histogram size {} is out of range (2 to 16777216 bins)", options.histogram_bins);
  if (!(options.averaging_constant > 0 && options.averaging_constant <= 1))
    return Status::Error("averaging constant {} is out of range (0, 1]", options.averaging_constant);
  ONNXKIT_ASSIGN_OR_RETURN(std::unique_ptr<runtime::Session> session, runtime::Session::Create(model));
  return std::unique_ptr<Calibrator>(new Calibrator(std::move(options), std::move(session)));
}

const std::vector<runtime::ValueSpec>& Calibrator::inputs() const { return session_->inputs(); }

void Calibrator::observe(const std::string& name, const runtime::Tensor& tensor) {
  if (name.empty() || !tensor.defined() || !IsCalibratableType(tensor.dtype())) return;
  if (!wanted_.empty() && !wanted_.contains(name)) return;
  auto it = table_.tensors.find(name);
  if (it == table_.tensors.end()) it = table_.tensors.emplace(name, TensorStatistics(options_.histogram_bins)).first;
  it->second.observe(tensor, options_.averaging_constant);
}

Status Calibrator::addSample(const std::vector<runtime::NamedTensor>& feeds) {
  for (const auto& [name, tensor] : feeds) observe(name, tensor);
  runtime::RunOptions run_options;
  run_options.observer = [this](const Node& node, std::span<const runtime::Tensor> outputs) {
    for (size_t i = 0; i < outputs.size(); ++i) {
      const Value* value = node.output(i);
      if (value != nullptr) observe(value->name(), outputs[i]);
    }
  };
  auto outputs = session_->run(feeds, run_options);
  if (!outputs.ok()) return outputs.status();
  ++table_.sample_count;
  return Status::Ok();
}

Result<CalibrationTable> Calibrator::table() const {
  for (const std::string& name : wanted_)
    if (!table_.tensors.contains(name))
      return Status::Error("tensor '{}' was not computed in any calibration run (not a float tensor of the model?)",
                           name);
  return table_;
}

Result<CalibrationTable> Calibrate(const Model& model, const std::filesystem::path& data_folder,
                                   const CalibrateOptions& options) {
  ONNXKIT_ASSIGN_OR_RETURN(std::unique_ptr<Calibrator> calibrator, Calibrator::Create(model, options));
  CalibrationDataOptions data_options;
  data_options.max_samples = options.max_samples;
  ONNXKIT_ASSIGN_OR_RETURN(CalibrationData data, CalibrationData::Open(data_folder, calibrator->inputs(), data_options));
  uint64_t done = 0;
  uint64_t total = data.sampleCount();
  Status status = data.forEach([&](const std::vector<runtime::NamedTensor>& sample, const std::string& source) {
    Status added = calibrator->addSample(sample).WithContext(source);
    if (!added.ok()) return added;
    ++done;
    if (options.progress) options.progress(done, total);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return calibrator->table();
}

}  // namespace onnxkit::quant
