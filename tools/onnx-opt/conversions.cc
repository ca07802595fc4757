#include "tools/onnx-opt/conversions.h"

#include <onnx/defs/schema.h>

#include "passes/convert/float16.h"
#include "passes/convert/input_shapes.h"
#include "passes/convert/opset_conversion.h"

namespace onnxkit::tools {
namespace {

constexpr const char* kGroup = "Conversions";

}  // namespace

void AddConversionOptions(CLI::App& app, ConversionOptions& options) {
  app.add_option("--target-opset", options.target_opset,
                 "convert the default-domain opset to N (libonnx's version converter) before optimizing, e.g. "
                 "--target-opset 17")
      ->option_text("N")
      ->check(CLI::PositiveNumber)
      ->group(kGroup);
  app.add_option("--overwrite-input-shape", options.input_shapes,
                 "fix the symbolic dims of input NAME (repeatable), e.g. --overwrite-input-shape input:1,3,224,224")
      ->option_text("NAME:DIMS")
      ->allow_extra_args(false)
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            auto parsed = ParseInputShapeOverride(text);
            return parsed.ok() ? std::string() : parsed.message();
          },
          "NAME:DIMS"))
      ->group(kGroup);
  app.add_option("--fix-batch", options.fix_batch,
                 "set dim 0 of every input whose dim 0 is symbolic to N, e.g. --fix-batch 1")
      ->option_text("N")
      ->check(CLI::PositiveNumber)
      ->group(kGroup);
  auto* fp16 = app.add_flag("--fp16", options.fp16,
                            "convert float32 weights and compute to float16 after optimizing (Softmax, "
                            "normalizations, reductions stay float32), e.g. --fp16 --keep-io-types")
                   ->group(kGroup);
  app.add_flag("--keep-io-types", options.keep_io_types,
               "with --fp16: keep float32 graph inputs and outputs (Casts at the boundary), e.g. --fp16 "
               "--keep-io-types")
      ->needs(fp16)
      ->group(kGroup);
  app.add_option("--fp16-keep-ops", options.fp16_keep_ops,
                 "with --fp16: comma-separated op types that also stay float32, e.g. --fp16-keep-ops Exp,Sigmoid")
      ->option_text("OPS")
      ->needs(fp16)
      ->check(CLI::Validator(
          [](std::string& list) -> std::string {
            for (const std::string& op : SplitCommaList(list))
              if (!onnx::OpSchemaRegistry::Schema(op, static_cast<int>(MaximumConvertibleOpset()), ""))
                return fmt::format("unknown ONNX op type '{}'", op);
            return std::string();
          },
          "OPS"))
      ->group(kGroup);
}

Result<size_t> RunWithConversions(PassManager& manager, Model& model, const ConversionOptions& options) {
  if (options.target_opset) {
    auto converted = ConvertOpset(model, *options.target_opset);
    if (!converted.ok()) return converted.status();
  }
  if (!options.input_shapes.empty() || options.fix_batch) {
    FixInputShapesOptions shapes;
    for (const std::string& text : options.input_shapes) {
      auto parsed = ParseInputShapeOverride(text);
      if (!parsed.ok()) return parsed.status();
      shapes.overrides.push_back(std::move(parsed).value());
    }
    shapes.batch = options.fix_batch;
    auto fixed = FixInputShapes(model, shapes);
    if (!fixed.ok()) return fixed.status();
  }
  auto rewrites = manager.run(model);
  if (!rewrites.ok() || !options.fp16) return rewrites;
  Float16Options fp16;
  fp16.keep_io_types = options.keep_io_types;
  for (const std::string& op : SplitCommaList(options.fp16_keep_ops)) fp16.keep_ops.insert(op);
  auto converted = ConvertToFloat16(model, fp16);
  if (!converted.ok()) return converted.status().WithContext("--fp16");
  return rewrites;
}

std::vector<std::string> SplitCommaList(const std::string& list) {
  std::vector<std::string> items;
  for (size_t begin = 0; begin < list.size();) {
    size_t end = std::min(list.find(',', begin), list.size());
    if (end > begin) items.push_back(list.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

}  // namespace onnxkit::tools
