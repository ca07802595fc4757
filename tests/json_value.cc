#include "tests/json_value.h"

#include <cctype>
#include <cstdlib>

namespace onnxkit::testing {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool parseDocument(JsonValue& out) {
    if (!parseValue(out, 0)) return false;
    skipSpace();
    return at_ == text_.size() || fail("trailing characters");
  }
  const std::string& error() const { return error_; }

 private:
  bool fail(const std::string& why) {
    if (error_.empty()) error_ = why + " at offset " + std::to_string(at_);
    return false;
  }
  void skipSpace() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return fail("bad literal");
    at_ += word.size();
    return true;
  }
  bool parseString(std::string& out) {
    if (at_ >= text_.size() || text_[at_] != '"') return fail("expected a string");
    ++at_;
    while (at_ < text_.size() && text_[at_] != '"') {
      char c = text_[at_++];
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) return fail("truncated escape");
      char e = text_[at_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (at_ + 4 > text_.size()) return fail("truncated \\u escape");
          unsigned code = static_cast<unsigned>(std::strtoul(std::string(text_.substr(at_, 4)).c_str(), nullptr, 16));
          at_ += 4;
          if (code < 0x80) out += static_cast<char>(code);
          else out += '?';
          break;
        }
        default: return fail("bad escape");
      }
    }
    if (at_ >= text_.size()) return fail("unterminated string");
    ++at_;
    return true;
  }
  bool parseNumber(double& out) {
    size_t start = at_;
    if (at_ < text_.size() && text_[at_] == '-') ++at_;
    while (at_ < text_.size() && (std::isdigit(static_cast<unsigned char>(text_[at_])) || text_[at_] == '.' ||
                                  text_[at_] == 'e' || text_[at_] == 'E' || text_[at_] == '+' || text_[at_] == '-'))
      ++at_;
    std::string number(text_.substr(start, at_ - start));
    char* end = nullptr;
    out = std::strtod(number.c_str(), &end);
    return (!number.empty() && end == number.c_str() + number.size()) || fail("bad number");
  }
  bool parseValue(JsonValue& out, int depth) {
    if (depth > 100) return fail("nesting too deep");
    skipSpace();
    if (at_ >= text_.size()) return fail("unexpected end");
    char c = text_[at_];
    if (c == '{') {
      out.kind = JsonValue::Kind::kObject;
      ++at_;
      skipSpace();
      if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
      for (;;) {
        skipSpace();
        std::string key;
        if (!parseString(key)) return false;
        skipSpace();
        if (at_ >= text_.size() || text_[at_++] != ':') return fail("expected ':'");
        if (!parseValue(out.object[key], depth + 1)) return false;
        skipSpace();
        if (at_ < text_.size() && text_[at_] == ',') { ++at_; continue; }
        if (at_ < text_.size() && text_[at_] == '}') return ++at_, true;
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[') {
      out.kind = JsonValue::Kind::kArray;
      ++at_;
      skipSpace();
      if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
      for (;;) {
        out.array.emplace_back();
        if (!parseValue(out.array.back(), depth + 1)) return false;
        skipSpace();
        if (at_ < text_.size() && text_[at_] == ',') { ++at_; continue; }
        if (at_ < text_.size() && text_[at_] == ']') return ++at_, true;
        return fail("expected ',' or ']'");
      }
    }
    if (c == '"') {
      out.kind = JsonValue::Kind::kString;
      return parseString(out.string);
    }
    if (c == 't') return out.kind = JsonValue::Kind::kBool, out.boolean = true, literal("true");
    if (c == 'f') return out.kind = JsonValue::Kind::kBool, literal("false");
    if (c == 'n') return out.kind = JsonValue::Kind::kNull, literal("null");
    out.kind = JsonValue::Kind::kNumber;
    return parseNumber(out.number);
  }

  std::string_view text_;
  size_t at_ = 0;
  std::string error_;
};

}  // namespace

std::optional<JsonValue> ParseJson(std::string_view text, std::string* error) {
  Parser parser(text);
  JsonValue value;
  if (!parser.parseDocument(value)) {
    if (error) *error = parser.error();
    return std::nullopt;
  }
  return value;
}

}  // namespace onnxkit::testing
