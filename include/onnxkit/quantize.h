// INT8 quantization (onnx-quant): static, calibrated on sample data, in QDQ form (standard ONNX:
// QuantizeLinear/DequantizeLinear around the ops with 8-bit kernels) or QOperator form (QLinearConv,
// ...); or dynamic (weights quantized ahead of time, activations at run time: MatMulInteger /
// ConvInteger, for transformers and LSTMs). docs/quantization.md is the guide.
//
// Both first optimize the float model at level 2 (BatchNorm folded into Conv, constants folded)
// unless told not to, and verify the result.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "onnxkit/export.h"
#include "onnxkit/model.h"

namespace onnxkit::api {

enum class QuantType { kUint8, kInt8 };
enum class CalibrationMethod { kMinMax, kPercentile, kEntropy, kMse };
enum class QuantFormat { kQdq, kQOperator };

struct StaticQuantizeOptions {
  // Calibration samples, one per entry (in name order): a folder of NAME.npy or input_<i>.pb, a
  // NAME.npz, or — for a model with one input — NAME.npy holding one sample or a batch of them.
  std::filesystem::path calibration_data{};
  // Instead of calibrating: a table saved earlier (save_calibration_table, onnx-quant
  // --save-calib-table).
  std::filesystem::path calibration_table{};
  // When set, the calibration table is written there (to reuse or merge later).
  std::filesystem::path save_calibration_table{};
  uint64_t max_samples = 0;  // 0: every sample
  CalibrationMethod method = CalibrationMethod::kMinMax;
  double percentile = 99.999;   // kPercentile
  bool moving_average = false;  // kMinMax: moving averages of per-sample min/max
  QuantFormat format = QuantFormat::kQdq;
  bool per_channel = true;
  // uint8 activations: ONNX Runtime's x86 kernels fuse every QDQ unit with them.
  QuantType activation_type = QuantType::kUint8;
  QuantType weight_type = QuantType::kInt8;
  bool symmetric_activations = false;
  bool reduce_range = false;  // 7-bit weights
  std::vector<std::string> op_types{};  // empty: the default set (Conv, Gemm, MatMul, Add, ...)
  std::vector<std::string> exclude_nodes{};  // by node name
  std::vector<std::string> exclude_op_types{};
  bool optimize = true;  // optimize at level 2 first
};

struct DynamicQuantizeOptions {
  bool per_channel = true;
  QuantType weight_type = QuantType::kInt8;
  bool reduce_range = false;
  std::vector<std::string> op_types{};  // empty: MatMul and Gemm (add "Conv" for ConvInteger)
  std::vector<std::string> exclude_nodes{};
  bool optimize = true;
};

struct QuantizeReport {
  size_t quantized_nodes = 0;
  size_t quantized_tensors = 0;  // static: Q/DQ pairs inserted
  size_t quantized_weights = 0;  // static
  uint64_t calibration_samples = 0;
  std::vector<std::string> skipped{};  // static: "node 'x' (Op): reason"
};

// Quantizes `model` in place. Throws Error for unreadable or mismatching calibration data (naming
// the file), or a model that cannot be quantized (e.g. opset below 10).
ONNXKIT_API QuantizeReport quantizeStatic(Model& model, const StaticQuantizeOptions& options);
ONNXKIT_API QuantizeReport quantizeDynamic(Model& model, const DynamicQuantizeOptions& options = {});

}  // namespace onnxkit::api
