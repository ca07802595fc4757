// .npy/.npz/.pb reading and writing.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "runtime/tensor_io.h"
#include "tests/test_util.h"

namespace onnxkit::runtime {
namespace {

using testing::TempDir;

TEST(TensorIo, NpyRoundTripForEveryType) {
  TempDir temp;
  for (DataType type : {DataType::kFloat, DataType::kDouble, DataType::kFloat16, DataType::kInt8, DataType::kUint8,
                        DataType::kInt16, DataType::kUint16, DataType::kInt32, DataType::kUint32, DataType::kInt64,
                        DataType::kUint64, DataType::kBool}) {
    auto tensor = Tensor::Zeros(type, {2, 3});
    ASSERT_TRUE(tensor.ok());
    auto* bytes = static_cast<uint8_t*>(tensor->mutableRaw());
    for (size_t i = 0; i < tensor->byteSize(); ++i) bytes[i] = static_cast<uint8_t>(type == DataType::kBool ? i % 2 : i * 7);
    ASSERT_TRUE(WriteNpy(temp / "t.npy", *tensor).ok());
    auto read = ReadNpy(temp / "t.npy");
    ASSERT_TRUE(read.ok()) << read.message();
    EXPECT_EQ(read->dtype(), type);
    EXPECT_EQ(read->shape(), (Shape{2, 3}));
    EXPECT_EQ(0, std::memcmp(read->raw(), tensor->raw(), tensor->byteSize())) << DataTypeName(type);
  }
}

TEST(TensorIo, NpyScalarAndEmpty) {
  TempDir temp;
  ASSERT_TRUE(WriteNpy(temp / "s.npy", Tensor::Scalar(2.5f)).ok());
  auto scalar = ReadNpy(temp / "s.npy");
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(scalar->rank(), 0u);
  EXPECT_EQ(scalar->data<float>()[0], 2.5f);
  auto empty = Tensor::Allocate(DataType::kFloat, {0, 4});
  ASSERT_TRUE(WriteNpy(temp / "e.npy", *empty).ok());
  auto read = ReadNpy(temp / "e.npy");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->shape(), (Shape{0, 4}));
}

TEST(TensorIo, BadNpyIsAnErrorNamingTheFile) {
  for (std::string_view bytes : {std::string_view("nope"), std::string_view("\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'}")}) {
    auto tensor = ParseNpy(bytes, "bad.npy");
    ASSERT_FALSE(tensor.ok());
    EXPECT_NE(tensor.message().find("bad.npy"), std::string::npos) << tensor.message();
  }
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }";
  std::string huge = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header;
  EXPECT_FALSE(ParseNpy(huge, "huge.npy").ok());
}

// Found by fuzz/fuzz_npy: the shape was allocated before the data length was checked, so a few
// bytes claiming gigabytes made a gigabyte allocation.
TEST(TensorIo, NpyShapeIsCheckedAgainstTheDataBeforeAllocating) {
  std::string header = "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 1000000000), }";
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header + "abcd";
  ResetPeakTensorBytes();
  uint64_t before = PeakTensorBytes();
  auto tensor = ParseNpy(npy, "claims.npy");
  ASSERT_FALSE(tensor.ok());
  EXPECT_NE(tensor.message().find("claims.npy: .npy data has 4 bytes"), std::string::npos) << tensor.message();
  EXPECT_EQ(PeakTensorBytes(), before);
}

TEST(TensorIo, TensorProtoRoundTrip) {
  TempDir temp;
  auto tensor = Tensor::FromVector<int64_t>(DataType::kInt64, {3}, {1, -2, 3});
  testing::WriteFile(temp / "t.pb", ToTensorProto(tensor, "ids").SerializeAsString());
  auto read = ReadTensorProtoFile(temp / "t.pb");
  ASSERT_TRUE(read.ok()) << read.message();
  EXPECT_EQ(read->first, "ids");
  EXPECT_EQ(read->second.data<int64_t>()[1], -2);
}

TEST(TensorIo, NpzStoredAndDeflated) {
  // Made with numpy: np.savez('s.npz', a=np.arange(3, dtype=np.float32), b=np.array([[1, 2]], dtype=np.int64))
  // and np.savez_compressed; the bytes are embedded to keep the test independent of Python.
  const unsigned char stored[] = {
#include "tests/runtime/data/stored_npz.inc"
  };
  const unsigned char deflated[] = {
#include "tests/runtime/data/deflated_npz.inc"
  };
  TempDir temp;
  for (auto [bytes, size] : {std::pair{stored, sizeof(stored)}, std::pair{deflated, sizeof(deflated)}}) {
    testing::WriteFile(temp / "x.npz", std::string_view(reinterpret_cast<const char*>(bytes), size));
    auto arrays = ReadNpz(temp / "x.npz");
    ASSERT_TRUE(arrays.ok()) << arrays.message();
    ASSERT_EQ(arrays->size(), 2u);
    EXPECT_EQ((*arrays)[0].first, "a");
    EXPECT_EQ((*arrays)[0].second.data<float>()[2], 2.f);
    EXPECT_EQ((*arrays)[1].first, "b");
    EXPECT_EQ((*arrays)[1].second.shape(), (Shape{1, 2}));
    EXPECT_EQ((*arrays)[1].second.data<int64_t>()[1], 2);
  }
  testing::WriteFile(temp / "bad.npz", "PK not really");
  EXPECT_FALSE(ReadNpz(temp / "bad.npz").ok());
}

// A central directory entry whose zip64 local header offset is 2^64 - 16: the bounds check added
// 30 to it and wrapped around, and the reader read far outside the archive (found by review while
// fuzzing, confirmed with fuzz/fuzz_npz under UBSan).
TEST(TensorIo, NpzZip64OffsetNearTheTopOfTheRangeIsAnError) {
  std::string name = "x.npy";
  std::string extra = {1, 0, 8, 0};  // zip64 extra field (id 1), 8 bytes: the local header offset
  for (int i = 0; i < 8; ++i) extra.push_back(static_cast<char>(i == 0 ? 0xF0 : 0xFF));
  auto little = [](uint64_t value, int width) {
    std::string out;
    for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return out;
  };
  std::string central = little(0x02014b50, 4) + little(20, 2) + little(20, 2) + std::string(16, '\0') +
                        little(0, 4) + little(0, 4) + little(name.size(), 2) + little(extra.size(), 2) +
                        std::string(8, '\0') + little(0xFFFFFFFF, 4) + name + extra;
  std::string end = little(0x06054b50, 4) + std::string(4, '\0') + little(1, 2) + little(1, 2) +
                    little(central.size(), 4) + little(0, 4) + little(0, 2);
  auto arrays = ParseNpz(central + end, "offset.npz");
  ASSERT_FALSE(arrays.ok());
  EXPECT_NE(arrays.message().find("offset.npz: not a valid .npz/zip file (bad local header)"), std::string::npos)
      << arrays.message();
}

// Found by fuzz/fuzz_npz: a deflated entry's declared size was allocated before inflating, so a
// few bytes claiming 4 GiB made a 4 GiB allocation.
TEST(TensorIo, NpzDeclaredSizeIsNotAllocatedBeforeTheDataBearsItOut) {
  const unsigned char deflated[] = {
#include "tests/runtime/data/deflated_npz.inc"
  };
  std::string zip(reinterpret_cast<const char*>(deflated), sizeof(deflated));
  // Claim 0xFFFFFFF0 uncompressed bytes for every entry, in its central directory record.
  size_t patched = 0;
  for (size_t at = zip.find("PK\x01\x02"); at != std::string::npos; at = zip.find("PK\x01\x02", at + 4), ++patched)
    zip.replace(at + 24, 4, "\xF0\xFF\xFF\xFF");
  ASSERT_EQ(patched, 2u);
  auto peak_rss_mib = [] {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss >> 10;  // KiB on Linux
  };
  long before = peak_rss_mib();
  auto arrays = ParseNpz(zip, "claims.npz");
  ASSERT_FALSE(arrays.ok());
  EXPECT_NE(arrays.message().find("corrupt compressed data"), std::string::npos) << arrays.message();
  EXPECT_LT(peak_rss_mib() - before, 1024) << "the peak memory grew by gigabytes";
}

}  // namespace
}  // namespace onnxkit::runtime
