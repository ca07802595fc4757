// quantizeStatic() / quantizeDynamic(): onnx-quant's steps (optimize at level 2, calibrate, ranges,
// QDQ insertion, optional QOperator lowering; or dynamic quantization), without its report and
// accuracy-aware fallback.
#include "onnxkit/quantize.h"

#include <fmt/format.h>

#include <set>

#include "api/internal.h"
#include "ir/verifier.h"
#include "passes/pass_manager.h"
#include "passes/quant/calibration/calibration_table_io.h"
#include "passes/quant/calibration/calibrator.h"
#include "passes/quant/qoperator_lowering.h"
#include "passes/quant/quantize_dynamic.h"
#include "passes/quant/quantize_static.h"
#include "passes/registry.h"

namespace onnxkit::api {
namespace {

quant::QuantType ToQuantType(QuantType type) {
  return type == QuantType::kUint8 ? quant::QuantType::kUint8 : quant::QuantType::kInt8;
}

quant::CalibrationMethod ToMethod(CalibrationMethod method) {
  switch (method) {
    case CalibrationMethod::kMinMax: return quant::CalibrationMethod::kMinMax;
    case CalibrationMethod::kPercentile: return quant::CalibrationMethod::kPercentile;
    case CalibrationMethod::kEntropy: return quant::CalibrationMethod::kEntropy;
    case CalibrationMethod::kMse: return quant::CalibrationMethod::kMse;
  }
  throw Error("unknown calibration method");
}

std::set<std::string> ToSet(const std::vector<std::string>& items) { return {items.begin(), items.end()}; }

// As onnx-quant: the float model is optimized at -O2 before it is calibrated and quantized.
void OptimizeForQuantization(onnxkit::Model& model) {
  PassManager manager;
  for (const auto& group : PipelineForLevel(2)) Check(manager.addGroup(group));
  auto rewrites = manager.run(model);
  if (!rewrites.ok()) throw Error(fmt::format("optimizing before quantization: {}", rewrites.message()));
}

void VerifyQuantized(const onnxkit::Model& model) {
  if (Status valid = VerifyModel(model); !valid.ok())
    throw Error(fmt::format("the quantized model is invalid (a bug): {}", valid.message()));
}

}  // namespace

QuantizeReport quantizeStatic(Model& model, const StaticQuantizeOptions& options) {
  return Guard([&] {
    if (options.calibration_data.empty() && options.calibration_table.empty())
      throw Error("static quantization needs calibration data or a calibration table");
    quant::StaticOptions static_options;
    static_options.per_channel = options.per_channel;
    static_options.activation_type = ToQuantType(options.activation_type);
    static_options.weight_type = ToQuantType(options.weight_type);
    static_options.symmetric_activations = options.symmetric_activations;
    static_options.reduce_range = options.reduce_range;
    if (!options.op_types.empty()) static_options.op_types = ToSet(options.op_types);
    static_options.exclude_nodes = ToSet(options.exclude_nodes);
    static_options.exclude_op_types = ToSet(options.exclude_op_types);
    quant::CalibrationMethod method = ToMethod(options.method);

    onnxkit::Model& ir = ModelAccess::Mutable(model);
    if (options.optimize) OptimizeForQuantization(ir);
    quant::CalibrationTable table;
    if (!options.calibration_table.empty()) {
      table = Unwrap(quant::LoadCalibrationTable(options.calibration_table));
    } else {
      quant::CalibrateOptions calibrate;
      calibrate.max_samples = options.max_samples;
      calibrate.method = std::string(quant::CalibrationMethodName(method));
      calibrate.percentile = options.percentile;
      table = Unwrap(quant::Calibrate(ir, options.calibration_data, calibrate));
    }
    if (!options.save_calibration_table.empty())
      Check(quant::SaveCalibrationTable(table, options.save_calibration_table));

    quant::RangeOptions range_options;
    range_options.symmetric = options.symmetric_activations;
    range_options.moving_average = options.moving_average;
    range_options.percentile = options.percentile;
    quant::RangeTable ranges = quant::ComputeRanges(table, method, range_options);
    quant::StaticReport static_report;
    Check(quant::QuantizeStatic(ir, ranges, static_options, &static_report));
    if (options.format == QuantFormat::kQOperator) Check(quant::LowerToQOperator(ir));
    VerifyQuantized(ir);

    QuantizeReport report;
    report.quantized_nodes = static_report.quantized_nodes;
    report.quantized_tensors = static_report.quantized_tensors;
    report.quantized_weights = static_report.quantized_weights;
    report.calibration_samples = table.sample_count;
    report.skipped = static_report.skipped;
    return report;
  });
}

QuantizeReport quantizeDynamic(Model& model, const DynamicQuantizeOptions& options) {
  return Guard([&] {
    quant::DynamicOptions dynamic_options;
    dynamic_options.per_channel = options.per_channel;
    dynamic_options.weight_type = ToQuantType(options.weight_type);
    dynamic_options.reduce_range = options.reduce_range;
    if (!options.op_types.empty()) dynamic_options.op_types = ToSet(options.op_types);
    dynamic_options.exclude_nodes = ToSet(options.exclude_nodes);

    onnxkit::Model& ir = ModelAccess::Mutable(model);
    if (options.optimize) OptimizeForQuantization(ir);
    quant::DynamicReport dynamic_report;
    Check(quant::QuantizeDynamic(ir, dynamic_options, &dynamic_report));
    VerifyQuantized(ir);
    QuantizeReport report;
    report.quantized_nodes = dynamic_report.quantized_nodes;
    return report;
  });
}

}  // namespace onnxkit::api
