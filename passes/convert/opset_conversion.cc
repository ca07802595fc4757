#include "passes/convert/opset_conversion.h"

#include <onnx/checker.h>
#include <onnx/common/version.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "ir/onnx_export.h"
#include "ir/onnx_import.h"
#include "ir/verifier.h"
#include "ir/wire_format.h"

namespace onnxkit {
namespace {

// Tensors at least this large go around the converter (their bytes stay where they are); smaller
// ones, among them every axes/shape/scales constant an adapter reads, are copied inline.
constexpr size_t kBypassMinimumBytes = 4096;

std::pair<int, int> ConverterVersionRange() {
  const auto& ranges = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  auto it = ranges.find("");
  return it == ranges.end() ? std::pair{1, 1} : it->second;
}

void ForEachGraphProto(onnx::GraphProto& graph, const std::function<void(onnx::GraphProto&)>& visit) {
  visit(graph);
  for (auto& node : *graph.mutable_node())
    for (auto& attribute : *node.mutable_attribute()) {
      if (attribute.has_g()) ForEachGraphProto(*attribute.mutable_g(), visit);
      for (auto& subgraph : *attribute.mutable_graphs()) ForEachGraphProto(subgraph, visit);
    }
}

// Removes the raw-data placeholder (ir/wire_format.h) of an exported tensor; returns its index or -1.
int64_t TakePlaceholder(onnx::TensorProto& tensor) {
  auto* fields = tensor.mutable_unknown_fields();
  for (int i = 0; i < fields->field_count(); ++i) {
    const auto& field = fields->field(i);
    if (field.number() == static_cast<int>(wire::kRawDataPlaceholderField) &&
        field.type() == google::protobuf::UnknownField::TYPE_VARINT) {
      auto index = static_cast<int64_t>(field.varint());
      fields->DeleteSubrange(i, 1);
      return index;
    }
  }
  return -1;
}

bool HasNoData(const onnx::TensorProto& tensor) {
  return !tensor.has_raw_data() && tensor.float_data_size() == 0 && tensor.int32_data_size() == 0 &&
         tensor.int64_data_size() == 0 && tensor.double_data_size() == 0 && tensor.uint64_data_size() == 0 &&
         tensor.string_data_size() == 0 && tensor.data_location() != onnx::TensorProto::EXTERNAL;
}

// Large initializers leave the exported proto before conversion (by name) and come back after it
// as placeholders of the original bytes.
struct BypassedTensor {
  size_t slice;
  int32_t data_type;
  std::vector<int64_t> dims;
  bool restored = false;
};

class Bypass {
 public:
  explicit Bypass(std::vector<SharedBytes> slices) : slices_(std::move(slices)) {}

  // Takes the placeholders out of `proto`: initializers (the first of each name) are bypassed,
  // everything else (attribute tensors, repeated names) gets its bytes inline.
  void prepare(onnx::ModelProto& proto) {
    ForEachGraphProto(*proto.mutable_graph(), [&](onnx::GraphProto& graph) {
      for (auto& initializer : *graph.mutable_initializer()) {
        int64_t slice = TakePlaceholder(initializer);
        if (slice < 0) continue;
        if (!initializer.name().empty() && !bypassed_.count(initializer.name())) {
          bypassed_.emplace(initializer.name(),
                            BypassedTensor{static_cast<size_t>(slice), initializer.data_type(),
                                           {initializer.dims().begin(), initializer.dims().end()}});
        } else {
          inlineBytes(initializer, static_cast<size_t>(slice));
        }
      }
      for (auto& node : *graph.mutable_node())
        for (auto& attribute : *node.mutable_attribute()) {
          if (attribute.has_t()) inlineIfPlaceholder(*attribute.mutable_t());
          for (auto& tensor : *attribute.mutable_tensors()) inlineIfPlaceholder(tensor);
        }
    });
  }

  // Puts the placeholders back into the converted proto. Fails when the converter changed a
  // bypassed tensor's type or dims, or left a tensor without data that was not bypassed.
  Status restore(onnx::ModelProto& proto) {
    Status status;
    ForEachGraphProto(*proto.mutable_graph(), [&](onnx::GraphProto& graph) {
      for (auto& initializer : *graph.mutable_initializer()) {
        if (!status.ok() || !HasNoData(initializer)) continue;
        auto it = bypassed_.find(initializer.name());
        int64_t elements = 1;
        for (int64_t dim : initializer.dims()) elements *= dim;
        if (it == bypassed_.end() || it->second.restored) {
          if (elements != 0)
            status = Status::Error("the converter left initializer '{}' without data", initializer.name());
          continue;
        }
        BypassedTensor& bypassed = it->second;
        if (bypassed.data_type != initializer.data_type() ||
            !std::equal(bypassed.dims.begin(), bypassed.dims.end(), initializer.dims().begin(),
                        initializer.dims().end())) {
          status = Status::Error("the converter changed the type or shape of initializer '{}'", initializer.name());
          continue;
        }
        initializer.mutable_unknown_fields()->AddVarint(static_cast<int>(wire::kRawDataPlaceholderField),
                                                        bypassed.slice);
        bypassed.restored = true;
      }
    });
    return status;
  }

  const std::vector<SharedBytes>& slices() const { return slices_; }

  // A copy of `proto` the ONNX checker can read without the bytes: restored initializers become
  // empty tensors (the checker only checks their structure; the conversion never touched their data).
  static onnx::ModelProto CheckableCopy(const onnx::ModelProto& proto) {
    onnx::ModelProto copy = proto;
    ForEachGraphProto(*copy.mutable_graph(), [](onnx::GraphProto& graph) {
      for (auto& initializer : *graph.mutable_initializer()) {
        if (TakePlaceholder(initializer) < 0) continue;
        initializer.clear_dims();
        initializer.add_dims(0);
      }
    });
    return copy;
  }

 private:
  void inlineBytes(onnx::TensorProto& tensor, size_t slice) {
    const SharedBytes& bytes = slices_.at(slice);
    tensor.set_raw_data(bytes.data(), bytes.size());
  }
  void inlineIfPlaceholder(onnx::TensorProto& tensor) {
    if (int64_t slice = TakePlaceholder(tensor); slice >= 0) inlineBytes(tensor, static_cast<size_t>(slice));
  }

  std::vector<SharedBytes> slices_;
  std::unordered_map<std::string, BypassedTensor> bypassed_;
};

// Down-conversions turn some constant inputs back into attributes (Squeeze/Unsqueeze/ReduceSum
// axes and Split sizes at 13->12, Reshape's shape at 5->4). libonnx 1.12's adapters read such an
// input correctly only from a Constant node: from an initializer they read Tensor::int64s(),
// which is empty for raw_data (Squeeze would get axes = [] and squeeze every dim of size 1), and
// then fail an assertion removing it. So those initializers become Constant nodes first.
void ConstantsForDownAdapters(onnx::ModelProto& proto, int64_t from, int64_t target) {
  auto reads_constant = [&](const onnx::NodeProto& node) -> int {  // the input index, or -1
    if (!node.domain().empty() && node.domain() != "ai.onnx") return -1;
    const std::string& op = node.op_type();
    if ((op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum" || op == "Split") && from >= 13 && target < 13)
      return 1;
    if (op == "Reshape" && from >= 5 && target < 5) return 1;
    return -1;
  };
  ForEachGraphProto(*proto.mutable_graph(), [&](onnx::GraphProto& graph) {
    std::unordered_set<std::string> inputs, wanted;
    for (const auto& input : graph.input()) inputs.insert(input.name());
    for (const auto& node : graph.node()) {
      int index = reads_constant(node);
      if (index >= 0 && index < node.input_size() && !inputs.count(node.input(index))) wanted.insert(node.input(index));
    }
    if (wanted.empty()) return;
    google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
    auto* initializers = graph.mutable_initializer();
    for (int i = initializers->size() - 1; i >= 0; --i) {
      if (!wanted.count(initializers->Get(i).name())) continue;
      onnx::NodeProto* constant = nodes.Add();
      constant->set_op_type("Constant");
      constant->add_output(initializers->Get(i).name());
      onnx::AttributeProto* value = constant->add_attribute();
      value->set_name("value");
      value->set_type(onnx::AttributeProto::TENSOR);
      *value->mutable_t() = initializers->Get(i);
      initializers->DeleteSubrange(i, 1);
    }
    for (auto& node : *graph.mutable_node()) *nodes.Add() = std::move(node);
    graph.mutable_node()->Swap(&nodes);
  });
}

// libonnx's assertion messages carry the source position: "./onnx/...: adapter_lookup: Assertion
// `false` failed: No Adapter To Version $12 for Relu". The reason is what follows "failed: ",
// reworded for the common adapter lookups.
std::string ConverterReason(std::string message) {
  if (auto failed = message.find("failed: "); failed != std::string::npos) {
    message = message.substr(failed + 8);
  } else if (auto assertion = message.find("Assertion `"); assertion != std::string::npos) {
    // "./onnx/common/ir.h:1322: eraseOutput: Assertion `i < outputs_.size()` failed."
    auto function_end = message.rfind(": ", assertion);
    auto function_begin = function_end == std::string::npos ? std::string::npos : message.rfind(": ", function_end - 1);
    std::string function = function_begin == std::string::npos ? std::string()
                                                               : message.substr(function_begin + 2, function_end - function_begin - 2);
    std::string condition = message.substr(assertion + 11);
    condition = condition.substr(0, condition.find('`'));
    return fmt::format("libonnx {}'s converter failed an internal check ({}: {})", onnx::LAST_RELEASE_VERSION,
                       function, condition);
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (auto newline = message.find('\n'); newline != std::string::npos) message = message.substr(0, newline);
  auto reword = [&](std::string_view prefix, std::string_view wording) -> bool {
    if (message.rfind(prefix, 0) != 0) return false;
    std::string rest = message.substr(prefix.size());  // "$12 for Relu"
    auto for_pos = rest.find(" for ");
    if (for_pos == std::string::npos) return false;
    std::string version = rest.substr(0, for_pos);
    if (!version.empty() && version[0] == '$') version.erase(0, 1);
    std::string op = rest.substr(for_pos + 5);
    message = fmt::format("libonnx {} has no adapter for {} {} opset {}", onnx::LAST_RELEASE_VERSION, op, wording,
                          version);
    return true;
  };
  if (!reword("No Adapter To Version ", "to") && !reword("No Adapter From Version ", "from") &&
      message.rfind("No Adapter For ", 0) == 0)
    message = fmt::format("libonnx {} has no adapter for {}", onnx::LAST_RELEASE_VERSION, message.substr(15));
  return message;
}

// Everything the converter writes to std::cerr while it runs (warnings) goes here instead.
class CaptureStandardError {
 public:
  CaptureStandardError() : previous_(std::cerr.rdbuf(captured_.rdbuf())) {}
  ~CaptureStandardError() { std::cerr.rdbuf(previous_); }
  std::string text() const { return captured_.str(); }

 private:
  std::ostringstream captured_;
  std::streambuf* previous_;
};

// The first problem that makes the model unfit for the converter, or "".
std::string Unconvertible(Model& model, int64_t from, int64_t target) {
  std::string problem;
  ForEachGraph(model.graph(), [&](Graph& graph) {
    if (!problem.empty()) return;
    if (!graph.sparseInitializers().empty()) {
      problem = fmt::format("sparse initializer '{}': the version converter does not support sparse tensors",
                            graph.sparseInitializers().front()->name());
      return;
    }
    for (const Node* node : graph.nodes()) {
      if (!node->isOnnxDomain()) {
        problem = fmt::format("{} is in domain '{}'; the version converter only converts default-domain nodes",
                              node->describe(), node->domain());
        return;
      }
      if (!onnx::OpSchemaRegistry::Schema(node->opType(), static_cast<int>(from), "")) {
        problem = fmt::format("{}: no operator '{}' at opset {}", node->describe(), node->opType(), from);
        return;
      }
      // libonnx 1.12's Split 13->12 adapter reads input 1 without checking that it exists (and
      // crashes); it needs constant sizes (see ConstantsForDownAdapters).
      if (node->is("Split") && from >= 13 && target < 13) {
        if (!node->input(1)) {
          problem = fmt::format("{} splits into equal parts (no 'split' input), which libonnx {}'s Split 13->12 "
                                "adapter cannot convert",
                                node->describe(), onnx::LAST_RELEASE_VERSION);
          return;
        }
        const Value* split = node->input(1);
        if (!split->isConstant() && !(split->producer() && split->producer()->is("Constant"))) {
          problem = fmt::format("{}: libonnx {}'s Split 13->12 adapter needs constant split sizes", node->describe(),
                                onnx::LAST_RELEASE_VERSION);
          return;
        }
      }
      // PRelu's slope broadcast per channel before opset 7 and like numpy from 7; libonnx 1.12
      // passes the node through unchanged, which breaks a per-channel slope of shape [C].
      if (node->is("PRelu") && from < 7 && target >= 7) {
        const Value* slope = node->input(1);
        std::optional<std::vector<int64_t>> slope_shape =
            slope && slope->isConstant()
                ? std::optional<std::vector<int64_t>>({slope->initializer()->dims().begin(), slope->initializer()->dims().end()})
                : (slope ? slope->staticShape() : std::nullopt);
        int64_t slope_size = 1;
        if (slope_shape)
          for (int64_t dim : *slope_shape) slope_size *= dim;
        std::optional<int64_t> x_rank = node->input(0) ? node->input(0)->rank() : std::nullopt;
        bool same_meaning = slope_shape && (slope_size == 1 || (x_rank && static_cast<int64_t>(slope_shape->size()) == *x_rank));
        if (!same_meaning) {
          problem = fmt::format("{}: PRelu's slope broadcasting changed at opset 7 and libonnx {}'s converter does "
                                "not adapt it (the slope must have one element or the rank of X)",
                                node->describe(), onnx::LAST_RELEASE_VERSION);
          return;
        }
      }
      // Resize's tf_half_pixel_for_nn mode is gone at opset 13; libonnx 1.12 keeps it (a model
      // no runtime accepts).
      if (node->is("Resize") && from < 13 && target >= 13 &&
          node->getString("coordinate_transformation_mode", "") == "tf_half_pixel_for_nn") {
        problem = fmt::format("{} uses coordinate_transformation_mode 'tf_half_pixel_for_nn', which Resize no longer "
                              "has at opset 13 (libonnx {}'s converter would keep it)",
                              node->describe(), onnx::LAST_RELEASE_VERSION);
        return;
      }
      for (const Attribute& attribute : node->attributes())
        if (attribute.type() == onnx::AttributeProto::SPARSE_TENSOR ||
            attribute.type() == onnx::AttributeProto::SPARSE_TENSORS) {
          problem = fmt::format("{}: attribute '{}' holds a sparse tensor, which the version converter does not support",
                                node->describe(), attribute.name());
          return;
        }
    }
  });
  return problem;
}

// libonnx 1.12's converter writes non-tensor values (sequences, optionals) without their type:
// graph inputs and outputs (of every graph) and value_info entries. Inputs and outputs get their
// original type back (by name); untyped value_info entries, being optional, are dropped.
void RestoreLostTypes(onnx::GraphProto& original, onnx::ModelProto& converted) {
  std::unordered_map<std::string, onnx::TypeProto> types;
  ForEachGraphProto(original, [&](onnx::GraphProto& graph) {
    for (const auto* list : {&graph.input(), &graph.output(), &graph.value_info()})
      for (const auto& info : *list)
        if (info.has_type()) types.emplace(info.name(), info.type());
  });
  ForEachGraphProto(*converted.mutable_graph(), [&](onnx::GraphProto& graph) {
    for (auto* list : {graph.mutable_input(), graph.mutable_output()})
      for (auto& info : *list) {
        if (info.has_type()) continue;
        if (auto it = types.find(info.name()); it != types.end()) *info.mutable_type() = it->second;
      }
    auto* infos = graph.mutable_value_info();
    for (int i = infos->size() - 1; i >= 0; --i)
      if (!infos->Get(i).has_type()) infos->DeleteSubrange(i, 1);
  });
}

// "" when the converted graph has the interface of the original (input and output names, element
// types and ranks where both declare them), else how it differs. Adapters may restructure a
// graph but not what callers feed and read (libonnx 1.12's Scan 8->9 adapter drops a batch dim).
std::string InterfaceChange(const onnx::GraphProto& before, const onnx::GraphProto& after) {
  auto describe = [](const onnx::ValueInfoProto& info) {
    std::string text = fmt::format("'{}'", info.name());
    const auto& tensor = info.type().tensor_type();
    if (!info.type().has_tensor_type()) return text;
    text += fmt::format(" {}", DataTypeName(static_cast<DataType>(tensor.elem_type())));
    if (tensor.has_shape()) text += fmt::format(" of rank {}", tensor.shape().dim_size());
    return text;
  };
  auto differs = [](const onnx::ValueInfoProto& a, const onnx::ValueInfoProto& b) {
    if (a.name() != b.name()) return true;
    if (!a.type().has_tensor_type() || !b.type().has_tensor_type()) return false;
    const auto& x = a.type().tensor_type();
    const auto& y = b.type().tensor_type();
    if (x.elem_type() != y.elem_type()) return true;
    return x.has_shape() && y.has_shape() && x.shape().dim_size() != y.shape().dim_size();
  };
  auto compare = [&](const auto& old_list, const auto& new_list, const char* what) -> std::string {
    if (old_list.size() != new_list.size())
      return fmt::format("the converted model has {} {}s instead of {}", new_list.size(), what, old_list.size());
    for (int i = 0; i < old_list.size(); ++i)
      if (differs(old_list.Get(i), new_list.Get(i)))
        return fmt::format("the converter changed {} {} from {} to {}", what, i, describe(old_list.Get(i)),
                           describe(new_list.Get(i)));
    return "";
  };
  // Initializers listed as inputs (IR < 4) may legitimately come and go; compare the others.
  auto real_inputs = [](const onnx::GraphProto& graph) {
    std::unordered_set<std::string> initializers;
    for (const auto& initializer : graph.initializer()) initializers.insert(initializer.name());
    google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> inputs;
    for (const auto& input : graph.input())
      if (!initializers.count(input.name())) *inputs.Add() = input;
    return inputs;
  };
  std::string change = compare(real_inputs(before), real_inputs(after), "input");
  return change.empty() ? compare(before.output(), after.output(), "output") : change;
}

std::string CheckerProblem(const onnx::ModelProto& proto) {
  try {
    onnx::checker::check_model(Bypass::CheckableCopy(proto));
    return "";
  } catch (const std::exception& error) {
    std::string message = error.what();
    if (auto newline = message.find('\n'); newline != std::string::npos) message = message.substr(0, newline);
    return message;
  }
}

// ConvertVersion in this process; exceptions become errors.
Result<onnx::ModelProto> ConvertInProcess(const onnx::ModelProto& proto, int64_t target) {
  CaptureStandardError capture;
  try {
    return onnx::version_conversion::ConvertVersion(proto, static_cast<int>(target));
  } catch (const std::exception& error) {
    return Status::Error("{}", ConverterReason(error.what()));
  } catch (...) {
    return Status::Error("the version converter failed without a message");
  }
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

}  // namespace

Result<onnx::ModelProto> RunVersionConverter(const onnx::ModelProto& proto, int64_t target) {
  int fds[2];
  if (::pipe(fds) != 0) return ConvertInProcess(proto, target);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return ConvertInProcess(proto, target);
  }
  if (child == 0) {
    // The child: convert, send 'O' + the serialized model or 'E' + the reason, and leave without
    // running any exit handler of the parent's program.
    ::close(fds[0]);
    auto converted = ConvertInProcess(proto, target);
    std::string message;
    if (converted.ok()) {
      message = "O";
      message += converted->SerializeAsString();
    } else {
      message = "E" + converted.message();
    }
    ::_exit(WriteAll(fds[1], message.data(), message.size()) ? 0 : 3);
  }
  ::close(fds[1]);
  std::string received;
  char buffer[65536];
  for (;;) {
    ssize_t got = ::read(fds[0], buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    received.append(buffer, static_cast<size_t>(got));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    return Status::Error("the version converter of libonnx {} crashed ({})", onnx::LAST_RELEASE_VERSION,
                         ::strsignal(WTERMSIG(status)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || received.empty())
    return Status::Error("the version converter stopped without a result");
  if (received[0] == 'E') return Status::Error("{}", received.substr(1));
  onnx::ModelProto converted;
  if (received[0] != 'O' || !converted.ParseFromArray(received.data() + 1, static_cast<int>(received.size() - 1)))
    return Status::Error("the version converter's result cannot be read");
  return converted;
}

int64_t MinimumConvertibleOpset() { return ConverterVersionRange().first; }
int64_t MaximumConvertibleOpset() { return ConverterVersionRange().second; }

int64_t MinimumIrVersionForOpset(int64_t opset) {
  if (opset <= 8) return 3;
  if (opset == 9) return 4;
  if (opset == 10) return 5;
  if (opset == 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  return 10;
}

Result<OpsetConversion> ConvertOpset(Model& model, int64_t target) {
  OpsetConversion conversion;
  conversion.to = target;
  std::optional<int64_t> from = model.opsetVersion("");
  if (!from) return Status::Error("cannot convert to opset {}: the model imports no default-domain opset", target);
  conversion.from = *from;
  auto fail = [&](std::string_view reason) {
    return Status::Error("cannot convert from opset {} to {}: {}", *from, target, reason);
  };
  if (*from == target) return conversion;
  auto [minimum, maximum] = ConverterVersionRange();
  for (int64_t version : {*from, target})
    if (version < minimum || version > maximum)
      return fail(fmt::format("the version converter of libonnx {} knows opsets {} to {}", onnx::LAST_RELEASE_VERSION,
                              minimum, maximum));
  if (std::string problem = Unconvertible(model, *from, target); !problem.empty()) return fail(problem);

  ExportOptions export_options;
  export_options.placeholder_minimum_bytes = kBypassMinimumBytes;
  ExportedModel exported = ExportModel(model, export_options);
  Bypass bypass(std::move(exported.slices));
  bypass.prepare(exported.proto);
  ConstantsForDownAdapters(exported.proto, *from, target);
  try {  // adapters such as Softmax 12->13 need input shapes; a model inference fails on converts without
    onnx::shape_inference::InferShapes(exported.proto);
  } catch (const std::exception&) {
  }
  std::string original_checker_problem;  // computed only when the result fails the checker

  auto result = RunVersionConverter(exported.proto, target);
  if (!result.ok()) return fail(result.message());
  onnx::ModelProto converted = std::move(result).value();
  RestoreLostTypes(*exported.proto.mutable_graph(), converted);
  if (Status restored = bypass.restore(converted); !restored.ok()) return fail(restored.message());
  if (converted.ir_version() < MinimumIrVersionForOpset(target))
    converted.set_ir_version(MinimumIrVersionForOpset(target));

  if (std::string change = InterfaceChange(exported.proto.graph(), converted.graph()); !change.empty())
    return fail(change);
  if (std::string problem = CheckerProblem(converted); !problem.empty()) {
    // Blame the conversion only for problems the input did not have already.
    if (CheckerProblem(exported.proto).empty())
      return fail(fmt::format("the converted model fails the ONNX checker: {}", problem));
  }
  ImportSources sources;
  sources.raw_data_slices = bypass.slices();
  auto imported = ImportModel(std::move(converted), sources);
  if (!imported.ok()) return fail(fmt::format("the converted model cannot be read: {}", imported.message()));
  if (Status valid = VerifyModel(**imported); !valid.ok())
    return fail(fmt::format("the converted model is invalid: {}", valid.message()));
  model.swap(**imported);
  conversion.changed = true;
  return conversion;
}

}  // namespace onnxkit
