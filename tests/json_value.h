// A small JSON parser for tests that check the tools' --json output: parses strictly (an error for
// anything that is not JSON) into a tree of values.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onnxkit::testing {

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  std::map<std::string, JsonValue> object;

  bool has(const std::string& key) const { return kind == Kind::kObject && object.count(key); }
  const JsonValue& operator[](const std::string& key) const { return object.at(key); }
  const JsonValue& operator[](size_t index) const { return array.at(index); }
};

// The parsed value, or nullopt with `error` set.
std::optional<JsonValue> ParseJson(std::string_view text, std::string* error = nullptr);

}  // namespace onnxkit::testing
