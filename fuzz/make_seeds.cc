// Writes seed inputs for the fuzz targets that cannot be copied from fixtures/ as they are
// (scripts/fuzz.sh runs it into build-fuzz/seeds/; nothing here is committed as binary):
//
//   make_seeds models OUT_DIR TEXT_DIR      each text model (ONNX textual syntax) that parses, as .onnx
//   make_seeds tensors OUT_DIR               .npy and .pb tensors of every type, raw and typed fields
//   make_seeds tables OUT_DIR                calibration tables of a few value distributions
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/model_io.h"
#include "ir/text_format.h"
#include "passes/quant/calibration/calibration_table_io.h"
#include "runtime/tensor_io.h"

using namespace onnxkit;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

int Models(const fs::path& out, const fs::path& texts) {
  int written = 0;
  int total = 0;
  for (const auto& entry : fs::directory_iterator(texts)) {
    ++total;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto model = ParseModelText(text);
    if (!model.ok()) continue;
    auto bytes = SerializeModel(**model);
    if (!bytes.ok()) continue;
    Write(out / (entry.path().stem().string() + ".onnx"), *bytes);
    ++written;
  }
  std::printf("make_seeds: %d of %d text models written as .onnx\n", written, total);
  return 0;
}

int Tensors(const fs::path& out) {
  const DataType types[] = {DataType::kFloat,  DataType::kDouble, DataType::kFloat16, DataType::kInt8,
                            DataType::kUint8,  DataType::kInt16,  DataType::kUint16,  DataType::kInt32,
                            DataType::kUint32, DataType::kInt64,  DataType::kUint64,  DataType::kBool};
  const runtime::Shape shapes[] = {{}, {0}, {3}, {2, 3}, {1, 2, 2, 1}};
  int written = 0;
  for (DataType type : types) {
    for (size_t s = 0; s < std::size(shapes); ++s) {
      auto tensor = runtime::Tensor::Zeros(type, shapes[s]);
      if (!tensor.ok()) continue;
      auto* bytes = static_cast<uint8_t*>(tensor->mutableRaw());
      for (size_t i = 0; i < tensor->byteSize(); ++i)
        bytes[i] = static_cast<uint8_t>(type == DataType::kBool ? i % 2 : i * 37 + 1);
      std::string name = std::string(DataTypeName(type)) + "_" + std::to_string(s);
      Write(out / "npy" / (name + ".npy"), runtime::SerializeNpy(*tensor));
      Write(out / "pb" / (name + ".pb"), runtime::ToTensorProto(*tensor, name).SerializeAsString());
      ++written;
    }
  }
  // Typed fields instead of raw_data, as older exporters and the backend test data write them.
  onnx::TensorProto floats;
  floats.set_data_type(onnx::TensorProto::FLOAT);
  floats.add_dims(2);
  floats.add_float_data(1.5f);
  floats.add_float_data(-2.0f);
  Write(out / "pb" / "float_data.pb", floats.SerializeAsString());
  onnx::TensorProto halves;
  halves.set_data_type(onnx::TensorProto::FLOAT16);
  halves.add_dims(3);
  for (int v : {0x3C00, 0xC000, 0x7BFF}) halves.add_int32_data(v);
  Write(out / "pb" / "float16_int32_data.pb", halves.SerializeAsString());
  onnx::TensorProto int64s;
  int64s.set_data_type(onnx::TensorProto::INT64);
  int64s.add_dims(2);
  int64s.add_dims(1);
  int64s.add_int64_data(7);
  int64s.add_int64_data(-9);
  Write(out / "pb" / "int64_data.pb", int64s.SerializeAsString());
  onnx::TensorProto strings;
  strings.set_data_type(onnx::TensorProto::STRING);
  strings.add_dims(2);
  strings.add_string_data("hello");
  strings.add_string_data("");
  Write(out / "pb" / "string_data.pb", strings.SerializeAsString());
  std::printf("make_seeds: %d .npy and %d .pb tensors written\n", written, written + 4);
  return 0;
}

int Tables(const fs::path& out) {
  struct Case {
    const char* name;
    int bins;
    std::vector<std::vector<float>> tensors;  // per tensor: the values observed
  };
  std::vector<float> wide, tiny, ramp;
  for (int i = 0; i < 1000; ++i) {
    wide.push_back(static_cast<float>(std::sin(i * 0.37) * 1e3));
    tiny.push_back(static_cast<float>(i) * 1e-30f);
    ramp.push_back(static_cast<float>(i % 97) - 10.0f);
  }
  const Case cases[] = {
      {"empty", 2048, {}},
      {"one_value", 2048, {{1.0f}}},
      {"mixed", 2048, {wide, tiny, ramp, {0.0f, -0.0f}}},
      {"few_bins", 16, {wide, ramp}},
      {"non_finite", 64, {{1.0f, INFINITY, NAN, -3.0f}}},
  };
  for (const Case& c : cases) {
    quant::CalibrationTable table;
    table.model = std::string(c.name) + ".onnx";
    table.histogram_bins = c.bins;
    table.method = "entropy";
    for (size_t t = 0; t < c.tensors.size(); ++t) {
      quant::TensorStatistics statistics(c.bins);
      const auto& values = c.tensors[t];
      for (size_t begin = 0; begin < values.size(); begin += 250) {  // several observations
        std::vector<float> part(values.begin() + static_cast<long>(begin),
                                values.begin() + static_cast<long>(std::min(values.size(), begin + 250)));
        auto tensor = runtime::Tensor::FromVector<float>(DataType::kFloat, {static_cast<int64_t>(part.size())}, part);
        statistics.observe(tensor, table.averaging_constant);
        ++table.sample_count;
      }
      table.tensors.emplace("t" + std::to_string(t), std::move(statistics));
    }
    Write(out / (std::string(c.name) + ".calib"), quant::SerializeCalibrationTable(table));
  }
  std::printf("make_seeds: %zu calibration tables written\n", std::size(cases));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_seeds models|tensors|tables OUT_DIR [TEXT_DIR]\n");
    return 2;
  }
  std::string what = argv[1];
  fs::path out = argv[2];
  fs::create_directories(out);
  if (what == "models" && argc == 4) return Models(out, argv[3]);
  if (what == "tensors") {
    fs::create_directories(out / "npy");
    fs::create_directories(out / "pb");
    return Tensors(out);
  }
  if (what == "tables") return Tables(out);
  std::fprintf(stderr, "make_seeds: unknown kind '%s'\n", what.c_str());
  return 2;
}
