#include "runtime/zip_reader.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>

namespace onnxkit::runtime {
namespace {

constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kCentralFileHeader = 0x02014b50;
constexpr uint32_t kLocalFileHeader = 0x04034b50;
constexpr uint64_t kMaximumEntryBytes = uint64_t{8} << 30;

uint64_t Little(std::string_view bytes, size_t offset, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[offset + i])) << (8 * i);
  return value;
}

Result<std::string> Inflate(std::string_view compressed, uint64_t size, const std::string& what) {
  if (size > kMaximumEntryBytes) return Status::Error("{}: entry too large ({} bytes)", what, size);
  std::string out(static_cast<size_t>(size), '\0');
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return Status::Error("{}: cannot start inflating", what);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int result = inflate(&stream, Z_FINISH);
  bool complete = result == Z_STREAM_END && stream.total_out == size;
  inflateEnd(&stream);
  if (!complete) return Status::Error("{}: corrupt compressed data", what);
  return out;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ReadZipEntries(std::string_view zip, const std::string& what) {
  auto bad = [&](std::string_view why) { return Status::Error("{}: not a valid .npz/zip file ({})", what, why); };
  if (zip.size() < 22) return bad("too short");
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  size_t end_record = std::string_view::npos;
  size_t lowest = zip.size() > 65557 ? zip.size() - 65557 : 0;
  for (size_t at = zip.size() - 22 + 1; at-- > lowest;) {
    if (Little(zip, at, 4) == kEndOfCentralDirectory) {
      end_record = at;
      break;
    }
  }
  if (end_record == std::string_view::npos) return bad("no central directory");
  uint64_t entry_count = Little(zip, end_record + 10, 2);
  uint64_t directory_offset = Little(zip, end_record + 16, 4);
  if (directory_offset > zip.size()) return bad("central directory out of range");

  std::vector<std::pair<std::string, std::string>> entries;
  size_t at = static_cast<size_t>(directory_offset);
  for (uint64_t e = 0; e < entry_count; ++e) {
    if (at + 46 > zip.size() || Little(zip, at, 4) != kCentralFileHeader) return bad("bad central directory entry");
    uint64_t method = Little(zip, at + 10, 2);
    uint64_t compressed_size = Little(zip, at + 20, 4);
    uint64_t size = Little(zip, at + 24, 4);
    size_t name_length = static_cast<size_t>(Little(zip, at + 28, 2));
    size_t extra_length = static_cast<size_t>(Little(zip, at + 30, 2));
    size_t comment_length = static_cast<size_t>(Little(zip, at + 32, 2));
    uint64_t local_offset = Little(zip, at + 42, 4);
    if (at + 46 + name_length + extra_length + comment_length > zip.size()) return bad("entry beyond the end");
    std::string name(zip.substr(at + 46, name_length));
    // Zip64: sizes and offset saturated at 0xFFFFFFFF are in the extra field (id 1), in this order.
    std::string_view extra = zip.substr(at + 46 + name_length, extra_length);
    for (size_t x = 0; x + 4 <= extra.size();) {
      uint64_t id = Little(extra, x, 2);
      size_t length = static_cast<size_t>(Little(extra, x + 2, 2));
      if (x + 4 + length > extra.size()) return bad("bad extra field");
      if (id == 1) {
        size_t p = x + 4;
        auto take = [&](uint64_t& field) {
          if (field == 0xFFFFFFFFu && p + 8 <= x + 4 + length) {
            field = Little(extra, p, 8);
            p += 8;
          }
        };
        take(size);
        take(compressed_size);
        take(local_offset);
      }
      x += 4 + length;
    }
    at += 46 + name_length + extra_length + comment_length;

    if (local_offset + 30 > zip.size() || Little(zip, static_cast<size_t>(local_offset), 4) != kLocalFileHeader)
      return bad("bad local header");
    size_t local = static_cast<size_t>(local_offset);
    uint64_t data_start = local_offset + 30 + Little(zip, local + 26, 2) + Little(zip, local + 28, 2);
    if (data_start > zip.size() || compressed_size > zip.size() - data_start) return bad("entry data beyond the end");
    std::string_view data = zip.substr(static_cast<size_t>(data_start), static_cast<size_t>(compressed_size));
    std::string entry_what = what + ":" + name;
    if (method == 0) {
      if (compressed_size != size) return bad("stored entry with mismatched sizes");
      entries.emplace_back(std::move(name), std::string(data));
    } else if (method == 8) {
      ONNXKIT_ASSIGN_OR_RETURN(std::string content, Inflate(data, size, entry_what));
      entries.emplace_back(std::move(name), std::move(content));
    } else {
      return Status::Error("{}: unsupported zip compression method {}", entry_what, method);
    }
  }
  return entries;
}

}  // namespace onnxkit::runtime
