#include "runtime/zip_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace onnxkit::runtime {
namespace {

constexpr uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr uint32_t kCentralFileHeader = 0x02014b50;
constexpr uint32_t kLocalFileHeader = 0x04034b50;
constexpr uint64_t kMaximumEntryBytes = uint64_t{8} << 30;
constexpr size_t kInflateChunkBytes = size_t{1} << 16;
constexpr uint64_t kInitialInflateBytes = uint64_t{1} << 20;

uint64_t Little(std::string_view bytes, size_t offset, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[offset + i])) << (8 * i);
  return value;
}

// The declared size is believed only as far as the data bears it out: the output grows as inflate
// produces bytes, so a small entry claiming gigabytes costs nothing before it fails.
Result<std::string> Inflate(std::string_view compressed, uint64_t size, const std::string& what) {
  if (size > kMaximumEntryBytes) return Status::Error("{}: entry too large ({} bytes)", what, size);
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return Status::Error("{}: cannot start inflating", what);
  std::string out;
  out.reserve(static_cast<size_t>(std::min<uint64_t>(size, kInitialInflateBytes)));
  std::vector<char> buffer(kInflateChunkBytes);
  int result = Z_OK;
  bool too_long = false;
  do {
    if (stream.avail_in == 0 && !compressed.empty()) {  // avail_in is 32-bit: feed large entries in parts
      size_t part = std::min<size_t>(compressed.size(), std::numeric_limits<uInt>::max());
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
      stream.avail_in = static_cast<uInt>(part);
      compressed.remove_prefix(part);
    }
    stream.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream.avail_out = static_cast<uInt>(buffer.size());
    result = inflate(&stream, Z_NO_FLUSH);
    size_t produced = buffer.size() - stream.avail_out;
    too_long = out.size() + produced > size;
    if (!too_long) out.append(buffer.data(), produced);
  } while (result == Z_OK && !too_long);  // Z_BUF_ERROR: no progress possible (truncated data)
  inflateEnd(&stream);
  if (result != Z_STREAM_END || too_long || out.size() != size) return Status::Error("{}: corrupt compressed data", what);
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

    // Not local_offset + 30 > size: a zip64 offset may be anything up to 2^64 - 1, and the sum wraps.
    if (local_offset > zip.size() || zip.size() - local_offset < 30 ||
        Little(zip, static_cast<size_t>(local_offset), 4) != kLocalFileHeader)
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
