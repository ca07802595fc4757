#include "ir/text_format.h"

#include <onnx/defs/parser.h>
#include <onnx/defs/printer.h>

#include <algorithm>
#include <exception>
#include <optional>
#include <sstream>

#include "ir/onnx_export.h"
#include "ir/onnx_import.h"

namespace onnxkit {

Result<std::unique_ptr<Model>> ParseModelText(std::string_view text) {
  std::string terminated(text);
  onnx::ModelProto proto;
  onnx::OnnxParser parser(terminated.c_str());
  std::optional<std::string> message;
  try {
    auto status = parser.Parse(proto);
    if (!status.IsOK()) message = status.ErrorMessage();
  } catch (const std::exception& e) {
    // libonnx's parser converts numbers with std::stof/stoll, which throw on malformed or
    // out-of-range literals ("{1, 2}" where a number should be, "1e999").
    message = fmt::format("bad number ({})", e.what());
  }
  if (message) {
    std::replace(message->begin(), message->end(), '\n', ' ');
    return Status::Error("cannot parse the model text: {}", *message);
  }
  return ImportModel(std::move(proto));
}

std::string PrintModelText(const Model& model) {
  const onnx::ModelProto& metadata = model.metadata();
  std::ostringstream out;
  out << "<\n  ir_version: " << metadata.ir_version() << ",\n  opset_import: [";
  for (int i = 0; i < metadata.opset_import_size(); ++i) {
    const auto& import = metadata.opset_import(i);
    out << (i ? ", " : "") << '"' << import.domain() << "\" : " << import.version();
  }
  out << "]";
  if (!metadata.producer_name().empty()) out << ",\n  producer_name: \"" << metadata.producer_name() << '"';
  if (!metadata.producer_version().empty()) out << ",\n  producer_version: \"" << metadata.producer_version() << '"';
  if (metadata.model_version() != 0) out << ",\n  model_version: " << metadata.model_version();
  out << "\n>\n";
  out << ExportGraph(model.graph());
  for (const auto& function : metadata.functions()) out << "\n" << function;
  out << "\n";
  return out.str();
}

}  // namespace onnxkit
