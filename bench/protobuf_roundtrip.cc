// Baseline for load/save speed: a bare protobuf parse + serialize of a model file, with no IR.
// Usage: protobuf_roundtrip IN OUT
#include <fstream>
#include <iostream>
#include <sstream>

#include <onnx/onnx_pb.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: protobuf_roundtrip IN OUT\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes)) {
    std::cerr << "parse failed\n";
    return 1;
  }
  bytes.clear();
  bytes.shrink_to_fit();
  std::ofstream out(argv[2], std::ios::binary);
  if (!model.SerializeToOstream(&out)) {
    std::cerr << "serialize failed\n";
    return 1;
  }
  return 0;
}
