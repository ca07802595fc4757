#include "runtime/tensor_io.h"

#include <charconv>
#include <cstring>
#include <limits>

#include "ir/atomic_file.h"
#include "ir/mapped_file.h"
#include "runtime/zip_reader.h"

namespace onnxkit::runtime {

Result<Tensor> FromIrTensor(const TensorPtr& tensor) {
  Shape shape(tensor->dims().begin(), tensor->dims().end());
  DataType type = tensor->dtype();
  if (type == DataType::kString) {
    const auto& strings = tensor->strings();
    return Tensor::Strings(std::move(shape), std::vector<std::string>(strings.begin(), strings.end()));
  }
  size_t element_size = ElementSize(type);
  if (element_size == 0) return Status::Error("tensor '{}' has unsupported element type {}", tensor->name(), static_cast<int>(type));
  const std::byte* data = tensor->bytes().data();
  if (tensor->byteSize() > 0 && reinterpret_cast<uintptr_t>(data) % element_size == 0) {
    std::shared_ptr<const void> owner = tensor;  // keeps the mapped file or buffer alive
    return Tensor::Wrap(type, std::move(shape), std::move(owner), data);
  }
  ONNXKIT_ASSIGN_OR_RETURN(Tensor copy, Tensor::Allocate(type, std::move(shape)));
  if (tensor->byteSize()) std::memcpy(copy.mutableRaw(), data, tensor->byteSize());
  return copy;
}

TensorPtr ToIrTensor(const Tensor& tensor) {
  if (tensor.dtype() == DataType::kString) return onnxkit::Tensor::FromStrings(tensor.shape(), tensor.strings());
  return onnxkit::Tensor::Create(tensor.dtype(), tensor.shape(), SharedBytes::Copy(tensor.raw(), tensor.byteSize()));
}

Result<Tensor> FromTensorProto(const onnx::TensorProto& proto) {
  auto tensor = onnxkit::Tensor::FromProto(proto);
  if (!tensor.ok()) return tensor.status();
  return FromIrTensor(*tensor);
}

onnx::TensorProto ToTensorProto(const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  if (!name.empty()) proto.set_name(name);
  proto.set_data_type(static_cast<int32_t>(tensor.dtype()));
  for (int64_t d : tensor.shape()) proto.add_dims(d);
  if (tensor.dtype() == DataType::kString) {
    for (const auto& s : tensor.strings()) proto.add_string_data(s);
  } else {
    proto.set_raw_data(tensor.raw(), tensor.byteSize());
  }
  return proto;
}

Result<std::pair<std::string, Tensor>> ParseTensorProto(std::string_view bytes, const std::string& what) {
  onnx::TensorProto proto;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) || !proto.has_data_type())
    return Status::Error("{}: not a serialized ONNX TensorProto", what);
  auto tensor = FromTensorProto(proto);
  if (!tensor.ok()) return tensor.status().WithContext(what);
  return std::make_pair(proto.name(), std::move(tensor).value());
}

Result<std::pair<std::string, Tensor>> ReadTensorProtoFile(const std::filesystem::path& path) {
  auto bytes = MapFile(path);
  if (!bytes.ok()) return bytes.status();
  return ParseTensorProto(bytes->view(), path.string());
}

// ----- NumPy -----

namespace {

struct NpyType {
  std::string_view descr;
  DataType type;
};
constexpr NpyType kNpyTypes[] = {
    {"f4", DataType::kFloat},  {"f8", DataType::kDouble}, {"f2", DataType::kFloat16}, {"i1", DataType::kInt8},
    {"u1", DataType::kUint8},  {"i2", DataType::kInt16},  {"u2", DataType::kUint16},  {"i4", DataType::kInt32},
    {"u4", DataType::kUint32}, {"i8", DataType::kInt64},  {"u8", DataType::kUint64},  {"b1", DataType::kBool},
};

// The value of 'key' in the header dict, as raw text up to the next top-level comma or brace.
std::string_view HeaderField(std::string_view header, std::string_view key) {
  std::string quoted = "'" + std::string(key) + "'";
  size_t at = header.find(quoted);
  if (at == std::string_view::npos) return {};
  at = header.find(':', at + quoted.size());
  if (at == std::string_view::npos) return {};
  ++at;
  while (at < header.size() && header[at] == ' ') ++at;
  size_t end = at;
  int depth = 0;
  while (end < header.size()) {
    char c = header[end];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if ((c == ',' || c == '}') && depth == 0) break;
    ++end;
  }
  return header.substr(at, end - at);
}

}  // namespace

Result<Tensor> ParseNpy(std::string_view bytes, const std::string& what) {
  auto bad = [&](std::string_view why) { return Status::Error("{}: not a valid .npy file ({})", what, why); };
  if (bytes.size() < 10 || bytes.substr(0, 6) != "\x93NUMPY") return bad("no NUMPY magic");
  uint8_t major = static_cast<uint8_t>(bytes[6]);
  size_t header_length = 0;
  size_t header_start = 0;
  if (major == 1) {
    header_length = static_cast<uint8_t>(bytes[8]) | (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return bad("truncated header");
    header_length = 0;
    for (int i = 0; i < 4; ++i) header_length |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i])) << (8 * i);
    header_start = 12;
  } else {
    return bad("unknown format version");
  }
  if (header_start + header_length > bytes.size()) return bad("truncated header");
  std::string_view header = bytes.substr(header_start, header_length);
  std::string_view descr = HeaderField(header, "descr");
  if (descr.size() < 5 || (descr.front() != '\'' && descr.front() != '"')) return bad("no descr");
  descr = descr.substr(1, descr.size() - 2);
  char order = descr[0];
  std::string_view code = descr.substr(1);
  if (order == '>' && code != "i1" && code != "u1" && code != "b1")
    return Status::Error("{}: big-endian arrays are not supported", what);
  DataType type = DataType::kUndefined;
  for (const NpyType& t : kNpyTypes)
    if (t.descr == code) type = t.type;
  if (type == DataType::kUndefined) return Status::Error("{}: unsupported .npy dtype '{}'", what, descr);
  if (HeaderField(header, "fortran_order").starts_with("True"))
    return Status::Error("{}: Fortran-order arrays are not supported (save with C order)", what);
  std::string_view shape_text = HeaderField(header, "shape");
  if (shape_text.empty() || shape_text.front() != '(') return bad("no shape");
  Shape shape;
  for (size_t i = 1; i < shape_text.size();) {
    while (i < shape_text.size() && (shape_text[i] == ' ' || shape_text[i] == ',')) ++i;
    if (i >= shape_text.size() || shape_text[i] == ')') break;
    int64_t dim = 0;
    auto [end, error] = std::from_chars(shape_text.data() + i, shape_text.data() + shape_text.size(), dim);
    if (error != std::errc() || dim < 0) return bad("bad shape");
    shape.push_back(dim);
    i = static_cast<size_t>(end - shape_text.data());
    while (i < shape_text.size() && shape_text[i] == 'L') ++i;
  }
  size_t data_start = header_start + header_length;
  size_t data_bytes = bytes.size() - data_start;
  // The data must match the shape before anything is allocated: a header may claim any shape.
  auto count = CheckedElementCount(shape);
  if (!count.ok()) return bad(count.message());
  size_t element_size = ElementSize(type);
  if (data_bytes % element_size != 0 || static_cast<uint64_t>(*count) != data_bytes / element_size)
    return Status::Error("{}: .npy data has {} bytes, shape [{}] of {} needs {} elements of {} bytes", what, data_bytes,
                         ShapeToString(shape), DataTypeName(type), *count, element_size);
  ONNXKIT_ASSIGN_OR_RETURN(Tensor tensor, Tensor::Allocate(type, shape));
  if (tensor.byteSize()) std::memcpy(tensor.mutableRaw(), bytes.data() + data_start, tensor.byteSize());
  return tensor;
}

Result<Tensor> ReadNpy(const std::filesystem::path& path) {
  auto bytes = MapFile(path);
  if (!bytes.ok()) return bytes.status();
  return ParseNpy(bytes->view(), path.string());
}

std::string SerializeNpy(const Tensor& tensor) {
  std::string_view code;
  for (const NpyType& t : kNpyTypes)
    if (t.type == tensor.dtype()) code = t.descr;
  ONNXKIT_CHECK(!code.empty(), "no .npy dtype for {}", DataTypeName(tensor.dtype()));
  std::string shape;
  for (int64_t d : tensor.shape()) shape += std::to_string(d) + ",";
  if (tensor.rank() > 1) shape.pop_back();
  char order = (code == "i1" || code == "u1" || code == "b1") ? '|' : '<';
  std::string header = fmt::format("{{'descr': '{}{}', 'fortran_order': False, 'shape': ({}), }}", order, code, shape);
  // Pad with spaces so that the data starts at a multiple of 64 bytes; end with a newline.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string out = "\x93NUMPY\x01";
  out.push_back('\0');
  out.push_back(static_cast<char>(header.size() & 0xFF));
  out.push_back(static_cast<char>(header.size() >> 8));
  out += header;
  out.append(static_cast<const char*>(tensor.raw()), tensor.byteSize());
  return out;
}

Status WriteNpy(const std::filesystem::path& path, const Tensor& tensor) {
  if (tensor.dtype() == DataType::kString || tensor.dtype() == DataType::kBfloat16)
    return Status::Error("{}: {} tensors cannot be written as .npy", path.string(), DataTypeName(tensor.dtype()));
  return WriteFileAtomically(path, SerializeNpy(tensor));
}

Result<std::vector<std::pair<std::string, Tensor>>> ParseNpz(std::string_view bytes, const std::string& what) {
  auto entries = ReadZipEntries(bytes, what);
  if (!entries.ok()) return entries.status();
  std::vector<std::pair<std::string, Tensor>> arrays;
  for (auto& [name, content] : *entries) {
    std::string key = name.ends_with(".npy") ? name.substr(0, name.size() - 4) : name;
    auto tensor = ParseNpy(content, fmt::format("{}:{}", what, name));
    if (!tensor.ok()) return tensor.status();
    arrays.emplace_back(std::move(key), std::move(tensor).value());
  }
  return arrays;
}

Result<std::vector<std::pair<std::string, Tensor>>> ReadNpz(const std::filesystem::path& path) {
  auto bytes = MapFile(path);
  if (!bytes.ok()) return bytes.status();
  return ParseNpz(bytes->view(), path.string());
}

Result<Tensor> ReadTensorFile(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  if (extension == ".npy") return ReadNpy(path);
  if (extension == ".pb") {
    auto named = ReadTensorProtoFile(path);
    if (!named.ok()) return named.status();
    return std::move(named->second);
  }
  if (extension == ".npz") {
    auto arrays = ReadNpz(path);
    if (!arrays.ok()) return arrays.status();
    if (arrays->size() != 1)
      return Status::Error("{}: holds {} arrays; give one input per file, or name them", path.string(), arrays->size());
    return std::move(arrays->front().second);
  }
  return Status::Error("{}: unknown tensor file type (expected .npy, .npz or .pb)", path.string());
}

}  // namespace onnxkit::runtime
