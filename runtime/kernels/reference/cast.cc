// Cast and CastLike between every numeric type, bool, float16/bfloat16 and string.
//
// Numbers convert as ConvertValue (elementwise_util.h) says. Strings parse as decimal or scientific
// numbers ("1e-3", "+2.5"), with "INF", "+INF", "-INF", "NaN" (and "inf", "infinity", any case) for
// the special values; integer targets parse integers exactly and other numbers by truncation
// ("100.5" -> 100); bool targets also accept "true"/"false". A string that is not a number is an
// error. Numbers format as numpy's str() does: integers in decimal, bools as "True"/"False", floats
// with the fewest digits that read back to the same value of their type, positional when
// 1e-4 <= |x| < 1e16 ("0.5", "100.0") and scientific otherwise ("1e-05"); "NaN", "INF", "-INF".
//
// Versions: Cast-1 names the target type with a string ("FLOAT"), later versions with the
// TensorProto.DataType number; strings from opset 9, bfloat16 from 13. The float8 and 4-bit types
// of opsets 19 and 21 are not supported (so `saturate` has nothing to do).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>

#include "runtime/kernels/reference/elementwise_util.h"
#include "runtime/kernels/reference/kernel_tables.h"

namespace onnxkit::runtime::reference {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Parses a whole string as a floating-point number of type F (float or double).
template <typename F>
bool ParseFloat(std::string_view text, F& value) {
  std::string_view digits = text;
  if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-' && digits[1] != '+') digits.remove_prefix(1);
  const char* end = digits.data() + digits.size();
  auto [ptr, error] = std::from_chars(digits.data(), end, value);
  if (ptr != end) return false;
  if (error == std::errc::result_out_of_range) {
    // Overflow to infinity or underflow to zero, as strtod does.
    std::string copy(digits);
    if constexpr (std::is_same_v<F, float>) value = std::strtof(copy.c_str(), nullptr);
    else value = std::strtod(copy.c_str(), nullptr);
    return true;
  }
  return error == std::errc();
}

template <typename To>
Result<To> ParseNumber(const std::string& input) {
  std::string_view text = Trim(input);
  auto invalid = [&]() -> Status {
    return Status::Error("cannot convert string \"{}\" to {}", input, DataTypeName(DataTypeOf<To>()));
  };
  if constexpr (std::is_same_v<To, bool>) {
    if (EqualsIgnoringCase(text, "true")) return true;
    if (EqualsIgnoringCase(text, "false")) return false;
  }
  if constexpr (kIsInteger<To>) {
    std::string_view digits = text;
    if (digits.size() > 1 && digits[0] == '+' && digits[1] != '-' && digits[1] != '+') digits.remove_prefix(1);
    To value{};
    const char* end = digits.data() + digits.size();
    auto [ptr, error] = std::from_chars(digits.data(), end, value);
    if (ptr == end && error == std::errc()) return value;
    if (ptr == end && error == std::errc::result_out_of_range)
      return Status::Error("string \"{}\" is out of the range of {}", input, DataTypeName(DataTypeOf<To>()));
  }
  if constexpr (std::is_same_v<To, float> || kIsHalf<To>) {
    float value;
    if (!ParseFloat(text, value)) return invalid();
    if constexpr (kIsHalf<To>) return To(value);
    else return value;
  } else {
    double value;
    if (!ParseFloat(text, value)) return invalid();
    return ConvertValue<To>(value);
  }
}

// Shortest round-trip digits of `value`, positional or scientific as numpy prints them.
template <typename F>
std::string FormatShortest(F value) {
  char buffer[64];
  F magnitude = value < 0 ? -value : value;
  bool positional = magnitude == 0 || (magnitude >= F(1e-4) && magnitude < F(1e16));
  auto format = positional ? std::chars_format::fixed : std::chars_format::scientific;
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, format);
  std::string text(buffer, error == std::errc() ? end : buffer);
  if (positional && text.find('.') == std::string::npos) text += ".0";
  return text;
}

template <typename From>
std::string FormatNumber(From value) {
  if constexpr (std::is_same_v<From, bool>) {
    return value ? "True" : "False";
  } else if constexpr (kIsInteger<From>) {
    return std::to_string(value);
  } else {
    double number;
    if constexpr (kIsHalf<From>) number = static_cast<float>(value);
    else number = static_cast<double>(value);
    if (std::isnan(number)) return "NaN";
    if (std::isinf(number)) return number < 0 ? "-INF" : "INF";
    if constexpr (kIsHalf<From>) {
      // The fewest significant digits that read back to the same 16-bit value.
      for (int precision = 0; precision < 9; ++precision) {
        char buffer[32];
        auto [end, error] =
            std::to_chars(buffer, buffer + sizeof(buffer), number, std::chars_format::scientific, precision);
        if (error != std::errc()) break;
        double parsed = 0;
        std::from_chars(buffer, end, parsed);
        if (From(static_cast<float>(parsed)).bits == value.bits) return FormatShortest(parsed);
      }
      return FormatShortest(number);
    } else {
      return FormatShortest(value);
    }
  }
}

// Converts every element of x into the allocated output y (types differ).
Status Convert(const Tensor& x, Tensor& y) {
  return DispatchAny(x.dtype(), "Cast", [&]<typename From>() -> Status {
    return DispatchAny(y.dtype(), "Cast", [&]<typename To>() -> Status {
      int64_t count = x.elementCount();
      if constexpr (std::is_same_v<From, std::string> && std::is_same_v<To, std::string>) {
        y.mutableStrings() = x.strings();
      } else if constexpr (std::is_same_v<From, std::string>) {
        To* out = y.mutableData<To>();
        for (int64_t i = 0; i < count; ++i) {
          ONNXKIT_ASSIGN_OR_RETURN(out[i], ParseNumber<To>(x.strings()[static_cast<size_t>(i)]));
        }
      } else if constexpr (std::is_same_v<To, std::string>) {
        const From* in = x.data<From>();
        std::vector<std::string>& out = y.mutableStrings();
        for (int64_t i = 0; i < count; ++i) out[static_cast<size_t>(i)] = FormatNumber(in[i]);
      } else {
        const From* in = x.data<From>();
        To* out = y.mutableData<To>();
        for (int64_t i = 0; i < count; ++i) out[i] = ConvertValue<To>(in[i]);
      }
      return Status::Ok();
    });
  });
}

// Checks that this runtime and the opset support casting to `type`.
Status CheckTarget(int64_t value, int64_t opset) {
  bool known = value > 0 && value <= 16 && IsKnownDataType(static_cast<int32_t>(value));
  auto type = static_cast<DataType>(value);
  if (!known || type == DataType::kComplex64 || type == DataType::kComplex128)
    return Status::Error("casting to element type {} is not supported", value);
  if (type == DataType::kString && opset < 9) return Status::Error("casting to string needs opset 9 or later");
  if (type == DataType::kBfloat16 && opset < 13) return Status::Error("casting to bfloat16 needs opset 13 or later");
  return Status::Ok();
}

Status CastTo(KernelContext& context, const Tensor& x, DataType to) {
  if (x.dtype() == to) {
    context.setOutput(0, x);  // same type: the input itself
    return Status::Ok();
  }
  ONNXKIT_ASSIGN_OR_RETURN(Tensor * y, context.allocateOutput(0, to, x.shape()));
  return Convert(x, *y);
}

class Cast : public Kernel {
 public:
  Status prepare(const KernelInfo& info) {
    const Attribute* to = info.node.attribute("to");
    if (!to) return Status::Error("missing the required attribute 'to'");
    int64_t value = 0;
    if (to->type() == onnx::AttributeProto::STRING) {  // Cast-1: the TensorProto.DataType name
      std::string name = to->s();
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
      onnx::TensorProto::DataType parsed;
      if (!onnx::TensorProto::DataType_Parse(name, &parsed))
        return Status::Error("'to' names no element type: \"{}\"", to->s());
      value = parsed;
    } else {
      value = to->i();
    }
    ONNXKIT_RETURN_IF_ERROR(CheckTarget(value, info.opset));
    to_ = static_cast<DataType>(value);
    return Status::Ok();
  }
  Status run(KernelContext& context) override {
    ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
    return CastTo(context, *x, to_);
  }

 private:
  DataType to_ = DataType::kUndefined;
};

Status CastLike(KernelContext& context) {
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* x, context.requiredInput(0));
  ONNXKIT_ASSIGN_OR_RETURN(const Tensor* like, context.requiredInput(1));
  ONNXKIT_RETURN_IF_ERROR(CheckTarget(static_cast<int64_t>(like->dtype()), context.opset()));
  return CastTo(context, *x, like->dtype());
}

std::vector<DataType> CastTypes6() {  // numbers and bool
  auto types = NumericTypes();
  types.push_back(DataType::kBool);
  return types;
}
std::vector<DataType> CastTypes9() {  // ... and string
  auto types = CastTypes6();
  types.push_back(DataType::kString);
  return types;
}

const KernelRegistration kKernels[] = {
    {"", "Cast", 1, 5, CreateKernel<Cast>, CastTypes6()},
    {"", "Cast", 6, 8, CreateKernel<Cast>, CastTypes6()},
    {"", "Cast", 9, 12, CreateKernel<Cast>, CastTypes9()},
    {"", "Cast", 13, 18, CreateKernel<Cast>, AllTypes()},
    {"", "Cast", 19, 20, CreateKernel<Cast>, AllTypes()},
    {"", "Cast", 21, kLatestOpset, CreateKernel<Cast>, AllTypes()},
    {"", "CastLike", 15, 18, Function<CastLike>(), AllTypes()},
    {"", "CastLike", 19, 20, Function<CastLike>(), AllTypes()},
    {"", "CastLike", 21, kLatestOpset, Function<CastLike>(), AllTypes()},
};

}  // namespace

std::span<const KernelRegistration> CastKernels() { return kKernels; }

}  // namespace onnxkit::runtime::reference
