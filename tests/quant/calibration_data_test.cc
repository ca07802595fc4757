// Calibration data folders: the layouts (folder per sample, .npz per sample, batched .npy split
// along axis 0), max_samples, and clear errors that name the file.
#include <gtest/gtest.h>

#include "passes/quant/calibration/calibration_data.h"
#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::quant {
namespace {

using runtime::Tensor;
using runtime::ValueSpec;

ValueSpec Input(std::string name, std::vector<int64_t> dims, DataType type = DataType::kFloat) {
  ValueSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.has_shape = true;
  spec.dims = std::move(dims);
  for (int64_t d : spec.dims) spec.dim_names.push_back(d < 0 ? "N" : "");
  return spec;
}

Tensor Floats(std::vector<int64_t> shape, float start = 0.f) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> values(static_cast<size_t>(n));
  for (size_t i = 0; i < values.size(); ++i) values[i] = start + static_cast<float>(i);
  return Tensor::FromVector(DataType::kFloat, shape, values);
}

// A stored (uncompressed) .npz of the arrays, as numpy.savez writes it (CRCs left 0: not checked).
std::string Npz(const std::vector<std::pair<std::string, Tensor>>& arrays) {
  auto put = [](std::string& out, uint64_t value, int width) {
    for (int i = 0; i < width; ++i) out += static_cast<char>((value >> (8 * i)) & 0xff);
  };
  std::string zip, directory;
  for (const auto& [name, tensor] : arrays) {
    std::string file = name + ".npy";
    std::string data = runtime::SerializeNpy(tensor);
    size_t offset = zip.size();
    put(zip, 0x04034b50, 4);
    put(zip, 20, 2), put(zip, 0, 2), put(zip, 0, 2), put(zip, 0, 2), put(zip, 0, 2), put(zip, 0, 4);
    put(zip, data.size(), 4), put(zip, data.size(), 4), put(zip, file.size(), 2), put(zip, 0, 2);
    zip += file + data;
    put(directory, 0x02014b50, 4);
    put(directory, 20, 2), put(directory, 20, 2), put(directory, 0, 2), put(directory, 0, 2), put(directory, 0, 2);
    put(directory, 0, 2), put(directory, 0, 4), put(directory, data.size(), 4), put(directory, data.size(), 4);
    put(directory, file.size(), 2), put(directory, 0, 2), put(directory, 0, 2), put(directory, 0, 2);
    put(directory, 0, 2), put(directory, 0, 4), put(directory, offset, 4);
    directory += file;
  }
  size_t directory_offset = zip.size();
  zip += directory;
  put(zip, 0x06054b50, 4);
  put(zip, 0, 2), put(zip, 0, 2), put(zip, arrays.size(), 2), put(zip, arrays.size(), 2);
  put(zip, directory.size(), 4), put(zip, directory_offset, 4), put(zip, 0, 2);
  return zip;
}

struct Visited {
  std::vector<std::string> sources;
  std::vector<float> first_values;
  std::vector<runtime::Shape> shapes;
};

Result<Visited> ReadAll(const std::filesystem::path& folder, const std::vector<ValueSpec>& inputs, uint64_t max_samples = 0) {
  ONNXKIT_ASSIGN_OR_RETURN(CalibrationData data, CalibrationData::Open(folder, inputs, {max_samples}));
  Visited visited;
  Status status = data.forEach([&](const std::vector<runtime::NamedTensor>& sample, const std::string& source) {
    visited.sources.push_back(source);
    visited.first_values.push_back(sample[0].second.data<float>()[0]);
    visited.shapes.push_back(sample[0].second.shape());
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (visited.sources.size() != data.sampleCount()) return Status::Error("sampleCount() disagrees with the visits");
  return visited;
}

std::string ErrorOf(const std::filesystem::path& folder, const std::vector<ValueSpec>& inputs) {
  auto result = ReadAll(folder, inputs);
  return result.ok() ? "" : result.message();
}

TEST(CalibrationData, BatchedNpyIsSplitAlongAxisZero) {
  testing::TempDir dir;
  ASSERT_TRUE(runtime::WriteNpy(dir / "a.npy", Floats({5, 3})).ok());
  ASSERT_TRUE(runtime::WriteNpy(dir / "b.npy", Floats({3}, 100.f)).ok());  // no batch dim: one sample
  auto all = ReadAll(dir.path(), {Input("x", {-1, 3})});
  ASSERT_TRUE(all.ok()) << all.message();
  ASSERT_EQ(all->sources.size(), 6u);
  EXPECT_EQ(all->first_values, (std::vector<float>{0, 3, 6, 9, 12, 100}));
  EXPECT_EQ(all->shapes[0], (runtime::Shape{1, 3}));
  EXPECT_EQ(all->shapes[5], (runtime::Shape{1, 3}));
  EXPECT_NE(all->sources[1].find("a.npy[1]"), std::string::npos);

  auto limited = ReadAll(dir.path(), {Input("x", {-1, 3})}, 2);
  ASSERT_TRUE(limited.ok()) << limited.message();
  EXPECT_EQ(limited->first_values, (std::vector<float>{0, 3}));
}

TEST(CalibrationData, FixedBatchSplitsInBatches) {
  testing::TempDir dir;
  ASSERT_TRUE(runtime::WriteNpy(dir / "a.npy", Floats({6, 2})).ok());
  auto all = ReadAll(dir.path(), {Input("x", {2, 2})});
  ASSERT_TRUE(all.ok()) << all.message();
  EXPECT_EQ(all->first_values, (std::vector<float>{0, 4, 8}));
  EXPECT_EQ(all->shapes[2], (runtime::Shape{2, 2}));
}

TEST(CalibrationData, FoldersAndNpzPerSample) {
  testing::TempDir dir;
  std::filesystem::create_directory(dir / "s0");
  ASSERT_TRUE(runtime::WriteNpy(dir / "s0" / "x.npy", Floats({1, 3}, 7.f)).ok());
  std::filesystem::create_directory(dir / "s1");
  testing::WriteFile(dir / "s1" / "input_0.pb", runtime::ToTensorProto(Floats({1, 3}, 8.f), "x").SerializeAsString());
  ASSERT_TRUE(runtime::WriteNpy(dir / "zip_source.npy.tmp", Floats({1, 3})).ok());  // ignored extension
  testing::WriteFile(dir / "s2.npz", Npz({{"x", Floats({1, 3}, 9.f)}}));
  auto all = ReadAll(dir.path(), {Input("x", {-1, 3})});
  ASSERT_TRUE(all.ok()) << all.message();
  EXPECT_EQ(all->first_values, (std::vector<float>{7, 8, 9}));
  EXPECT_NE(all->sources[2].find("s2.npz"), std::string::npos);
}

TEST(CalibrationData, NpzWithTwoInputs) {
  testing::TempDir dir;
  testing::WriteFile(dir / "a.npz", Npz({{"y", Floats({2}, 5.f)}, {"x", Floats({1, 3}, 1.f)}}));
  testing::WriteFile(dir / "b.npz", Npz({{"x", Floats({1, 3}, 2.f)}, {"y", Floats({2}, 6.f)}}));
  std::vector<ValueSpec> inputs = {Input("x", {-1, 3}), Input("y", {2})};
  auto all = ReadAll(dir.path(), inputs);
  ASSERT_TRUE(all.ok()) << all.message();
  EXPECT_EQ(all->sources.size(), 2u);
  testing::WriteFile(dir / "c.npz", Npz({{"x", Floats({1, 3})}, {"z", Floats({2})}}));
  std::string error = ErrorOf(dir.path(), inputs);
  EXPECT_NE(error.find("c.npz"), std::string::npos) << error;
  EXPECT_NE(error.find("no input 'z'"), std::string::npos) << error;
}

TEST(CalibrationData, ErrorsNameTheFile) {
  std::vector<ValueSpec> inputs = {Input("x", {-1, 3})};
  {
    testing::TempDir dir;
    EXPECT_NE(ErrorOf(dir.path(), inputs).find("no calibration samples"), std::string::npos);
    EXPECT_NE(ErrorOf(dir.path(), inputs).find(dir.path().string()), std::string::npos);
    EXPECT_NE(ErrorOf(dir / "missing", inputs).find("missing"), std::string::npos);
  }
  {  // wrong input name
    testing::TempDir dir;
    std::filesystem::create_directory(dir / "s0");
    ASSERT_TRUE(runtime::WriteNpy(dir / "s0" / "y.npy", Floats({1, 3})).ok());
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("y.npy"), std::string::npos) << error;
    EXPECT_NE(error.find("no input 'y'"), std::string::npos) << error;
  }
  {  // wrong shape in a folder sample
    testing::TempDir dir;
    std::filesystem::create_directory(dir / "s0");
    ASSERT_TRUE(runtime::WriteNpy(dir / "s0" / "x.npy", Floats({1, 4})).ok());
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("s0/x.npy"), std::string::npos) << error;
    EXPECT_NE(error.find("[1,4]"), std::string::npos) << error;
    EXPECT_NE(error.find("[N,3]"), std::string::npos) << error;
  }
  {  // wrong shape in a batched .npy
    testing::TempDir dir;
    ASSERT_TRUE(runtime::WriteNpy(dir / "batch.npy", Floats({5, 4})).ok());
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("batch.npy"), std::string::npos) << error;
    EXPECT_NE(error.find("[5,4]"), std::string::npos) << error;
  }
  {  // wrong element type
    testing::TempDir dir;
    ASSERT_TRUE(runtime::WriteNpy(dir / "ints.npy", Tensor::FromVector(DataType::kInt64, {1, 3}, std::vector<int64_t>{1, 2, 3})).ok());
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("ints.npy"), std::string::npos) << error;
    EXPECT_NE(error.find("int64"), std::string::npos) << error;
  }
  {  // corrupt .npy, .npz and .pb
    testing::TempDir dir;
    testing::WriteFile(dir / "bad.npy", "\x93NUMPY garbage");
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("bad.npy"), std::string::npos) << error;
  }
  {
    testing::TempDir dir;
    testing::WriteFile(dir / "bad.npz", "PK not really a zip");
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("bad.npz"), std::string::npos) << error;
  }
  {
    testing::TempDir dir;
    std::string bytes;
    ASSERT_TRUE(runtime::WriteNpy(dir / "x.npy", Floats({4, 3})).ok());
    bytes = testing::ReadFile(dir / "x.npy");
    testing::WriteFile(dir / "x.npy", bytes.substr(0, bytes.size() - 5));  // truncated data
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("x.npy"), std::string::npos) << error;
  }
  {
    testing::TempDir dir;
    std::filesystem::create_directory(dir / "s0");
    testing::WriteFile(dir / "s0" / "input_0.pb", "\xff\xff\xff garbage");
    std::string error = ErrorOf(dir.path(), inputs);
    EXPECT_NE(error.find("input_0.pb"), std::string::npos) << error;
  }
  {  // a .npy per sample needs a single-input model
    testing::TempDir dir;
    ASSERT_TRUE(runtime::WriteNpy(dir / "x.npy", Floats({1, 3})).ok());
    std::string error = ErrorOf(dir.path(), {Input("x", {-1, 3}), Input("y", {-1, 3})});
    EXPECT_NE(error.find("x.npy"), std::string::npos) << error;
    EXPECT_NE(error.find("one input"), std::string::npos) << error;
  }
  {  // missing input in a folder sample
    testing::TempDir dir;
    std::filesystem::create_directory(dir / "s0");
    ASSERT_TRUE(runtime::WriteNpy(dir / "s0" / "x.npy", Floats({1, 3})).ok());
    std::string error = ErrorOf(dir.path(), {Input("x", {-1, 3}), Input("y", {-1, 3})});
    EXPECT_NE(error.find("s0"), std::string::npos) << error;
    EXPECT_NE(error.find("'y' is missing"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace onnxkit::quant
