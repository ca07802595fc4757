// Shape arithmetic shared by kernels: axes, strides, broadcasting, and element access helpers
// that treat string tensors like the others.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ir/status.h"
#include "runtime/tensor.h"

namespace onnxkit::runtime {

// Normalizes a possibly negative axis into [0, rank); an error names the axis and rank.
Result<int64_t> NormalizeAxis(int64_t axis, int64_t rank);
// Row-major strides in elements.
std::vector<int64_t> Strides(std::span<const int64_t> shape);
int64_t ProductOf(std::span<const int64_t> dims, size_t begin, size_t end);

// Numpy-style multidirectional broadcasting of any number of shapes.
Result<Shape> BroadcastShapes(std::span<const Shape> shapes);
Result<Shape> BroadcastShapes(const Shape& a, const Shape& b);

// For each output element (in row-major order) of `out_shape`, the flat offsets into each input
// broadcast to it. Inputs must broadcast to out_shape.
class BroadcastWalker {
 public:
  BroadcastWalker(const Shape& out_shape, std::span<const Shape> input_shapes);
  // Calls visit(out_index, offsets) for every element; `offsets` has one entry per input.
  template <typename Visit>
  void forEach(Visit&& visit) const;

 private:
  Shape out_shape_;
  std::vector<std::vector<int64_t>> strides_;  // per input, in output rank; 0 on broadcast dims
  int64_t count_;
};

template <typename Visit>
void BroadcastWalker::forEach(Visit&& visit) const {
  size_t rank = out_shape_.size();
  size_t inputs = strides_.size();
  std::vector<int64_t> index(rank, 0);
  std::vector<int64_t> offsets(inputs, 0);
  for (int64_t out = 0; out < count_; ++out) {
    visit(out, std::span<const int64_t>(offsets));
    // Increment the multi-index, updating offsets incrementally.
    for (size_t d = rank; d-- > 0;) {
      if (++index[d] < out_shape_[d]) {
        for (size_t k = 0; k < inputs; ++k) offsets[k] += strides_[k][d];
        break;
      }
      for (size_t k = 0; k < inputs; ++k) offsets[k] -= strides_[k][d] * (out_shape_[d] - 1);
      index[d] = 0;
    }
  }
}

// Reads a 1-D (or scalar) integer tensor (int32/int64) into a vector.
Result<std::vector<int64_t>> ReadInt64s(const Tensor& tensor, std::string_view what);
// Reads one scalar of any numeric type as double / int64 (an error if it is not one element).
Result<double> ReadScalarDouble(const Tensor& tensor, std::string_view what);
Result<int64_t> ReadScalarInt64(const Tensor& tensor, std::string_view what);

// Copies element `from` of `src` to element `to` of `dst` (same dtype), for any type incl. string.
void CopyElement(const Tensor& src, int64_t from, Tensor& dst, int64_t to);

}  // namespace onnxkit::runtime
