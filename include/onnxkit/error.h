// How the API reports failure: every function throws onnxkit::api::Error, whose what() is one line
// naming the file, node, pass or input concerned and the problem — the same messages the
// command-line tools print. Nothing else is thrown on bad input (std::bad_alloc may still escape).
#pragma once

#include <stdexcept>
#include <string>

#include "onnxkit/export.h"

namespace onnxkit::api {

class ONNXKIT_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  ~Error() override;
};

}  // namespace onnxkit::api
