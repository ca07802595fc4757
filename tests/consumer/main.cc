// A program that uses onnxkit only through its installed public API (<onnxkit/onnxkit.h>):
// load, optimize, run, compare, save, quantize. Prints "name: value" lines that the test driver
// (run_consumer_test.cmake) checks again, and exits non-zero when a check here fails.
//
//   consumer FIXTURES_DIR WORK_DIR
#include <onnxkit/onnxkit.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

namespace ok = onnxkit::api;
namespace fs = std::filesystem;

namespace {

int failures = 0;

void Expect(bool condition, const std::string& what) {
  if (!condition) {
    std::printf("FAILED: %s\n", what.c_str());
    ++failures;
  }
}

double MaxAbsoluteDifference(const ok::Tensor& a, const ok::Tensor& b) {
  if (a.shape() != b.shape()) return INFINITY;
  double worst = 0;
  for (int64_t i = 0; i < a.elementCount(); ++i) worst = std::max(worst, std::fabs(a.at(i) - b.at(i)));
  return worst;
}

// Share of rows of `logits` [N, C] whose arg-max equals `labels` [N].
double Accuracy(const ok::Tensor& logits, const ok::Tensor& labels) {
  int64_t rows = logits.shape()[0], classes = logits.shape()[1], correct = 0;
  std::span<const float> values = logits.floats();
  for (int64_t r = 0; r < rows; ++r) {
    auto row = values.subspan(static_cast<size_t>(r * classes), static_cast<size_t>(classes));
    int64_t predicted = std::max_element(row.begin(), row.end()) - row.begin();
    correct += predicted == static_cast<int64_t>(labels.at(r));
  }
  return static_cast<double>(correct) / static_cast<double>(rows);
}

int64_t OpCount(const ok::ModelStats& stats, const std::string& op) {
  auto it = stats.nodes_per_op.find(op);
  return it == stats.nodes_per_op.end() ? 0 : it->second;
}

void OptimizeAndRun(const fs::path& fixtures, const fs::path& work) {
  ok::Model original = ok::Model::load(fixtures / "cnn_bn_residual.onnx");
  ok::Model model = original.clone();
  ok::ModelStats before = model.stats();

  ok::Session original_session(original);
  std::vector<ok::NamedTensors> samples = original_session.readSamples(fixtures / "cnn_bn_residual");
  Expect(samples.size() == 1 && samples[0].count("input") == 1, "one test sample with 'input'");
  ok::Tensor expected = ok::Tensor::load(fixtures / "cnn_bn_residual/test_data_set_0/output_0.pb");
  ok::Tensor original_logits = original_session.run(samples[0]).at("logits");

  ok::OptimizeReport report = ok::optimize(model, {.level = 2});
  ok::ModelStats after = model.stats();
  std::printf("nodes_before: %lld\nnodes_after: %lld\n", static_cast<long long>(before.nodes),
              static_cast<long long>(after.nodes));
  std::printf("rewrites: %zu\n", report.rewrites);
  std::printf("batchnorm_after: %lld\n", static_cast<long long>(OpCount(after, "BatchNormalization")));
  Expect(after.nodes < before.nodes, "optimization removes nodes");
  Expect(OpCount(before, "BatchNormalization") > 0 && OpCount(after, "BatchNormalization") == 0,
         "BatchNormalization folded into Conv");

  ok::Session optimized_session(model);
  ok::Tensor optimized_logits = optimized_session.run(samples[0]).at("logits");
  double difference = MaxAbsoluteDifference(original_logits, optimized_logits);
  double difference_expected = MaxAbsoluteDifference(expected, optimized_logits);
  std::printf("optimized_vs_original_max_abs: %.3g\noptimized_vs_expected_max_abs: %.3g\n", difference,
              difference_expected);
  Expect(difference <= 1e-4, "optimized and original outputs agree within 1e-4");
  Expect(difference_expected <= 1e-4, "optimized output agrees with the fixture's expected output");

  ok::Comparison comparison = ok::compareModels(original, model, {.data = fixtures / "cnn_bn_residual"});
  std::printf("compare_passed: %d\n", comparison.passed() ? 1 : 0);
  Expect(comparison.passed() && comparison.samples == 1, "compareModels passes on the fixture's sample");

  // Save, load again: the same graph.
  fs::path saved = work / "cnn_bn_residual.opt.onnx";
  model.save(saved);
  ok::Model reloaded = ok::Model::load(saved);
  Expect(reloaded.stats().nodes == after.nodes, "the saved model loads with the same nodes");

  // A session keeps the state it was made with while the model is transformed afterwards.
  ok::NamedTensors random = optimized_session.randomInputs(7);
  ok::Tensor before_quantization = optimized_session.run(random).at("logits");
  ok::QuantizeReport dynamic = ok::quantizeDynamic(model);
  std::printf("dynamic_quantized_nodes: %zu\n", dynamic.quantized_nodes);
  Expect(dynamic.quantized_nodes >= 1, "dynamic quantization quantizes the classifier's Gemm/MatMul");
  Expect(MaxAbsoluteDifference(before_quantization, optimized_session.run(random).at("logits")) == 0,
         "a session is unaffected by later changes to its model");
  ok::Comparison dynamic_comparison = ok::compareModels(original, model, {.data = fixtures / "cnn_bn_residual"});
  double dynamic_cosine = dynamic_comparison.outputs.at(0).cosine_similarity;
  std::printf("dynamic_cosine: %.6f\n", dynamic_cosine);
  Expect(dynamic_cosine > 0.99, "dynamic INT8 model's logits stay close to FP32");
}

void QuantizeStatic(const fs::path& fixtures, const fs::path& work) {
  // Calibration data: a folder with one batched .npy (100 images: 100 samples).
  fs::path calibration = work / "calibration";
  fs::create_directories(calibration);
  fs::copy_file(fixtures / "digits/calib_x.npy", calibration / "calib_x.npy", fs::copy_options::overwrite_existing);

  ok::Model float_model = ok::Model::load(fixtures / "digits_cnn.onnx");
  ok::Model int8_model = float_model.clone();
  ok::StaticQuantizeOptions options;
  options.calibration_data = calibration;
  ok::QuantizeReport report = ok::quantizeStatic(int8_model, options);
  std::printf("static_quantized_nodes: %zu\nstatic_calibration_samples: %llu\n", report.quantized_nodes,
              static_cast<unsigned long long>(report.calibration_samples));
  Expect(report.quantized_nodes > 0 && report.calibration_samples == 100, "static quantization with 100 samples");
  Expect(OpCount(int8_model.stats(), "QuantizeLinear") > 0, "QDQ nodes inserted");
  int8_model.save(work / "digits_cnn.int8.onnx");

  ok::Tensor images = ok::Tensor::load(fixtures / "digits/test_x.npy");
  ok::Tensor labels = ok::Tensor::load(fixtures / "digits/test_y.npy");
  double float_accuracy = Accuracy(ok::Session(float_model).run({{"input", images}}).at("logits"), labels);
  double int8_accuracy = Accuracy(ok::Session(int8_model).run({{"input", images}}).at("logits"), labels);
  std::printf("float_accuracy: %.4f\nint8_accuracy: %.4f\naccuracy_drop: %.4f\n", float_accuracy, int8_accuracy,
              float_accuracy - int8_accuracy);
  Expect(float_accuracy > 0.9, "the float digits model classifies the held-out images");
  Expect(int8_accuracy >= float_accuracy - 0.02, "INT8 accuracy within 2 points of FP32");
}

void Errors(const fs::path& work) {
  try {
    ok::Model::load(work / "missing.onnx");
    Expect(false, "loading a missing file throws");
  } catch (const ok::Error& error) {
    std::string message = error.what();
    std::printf("missing_file_error: %s\n", message.c_str());
    Expect(message.find("missing.onnx") != std::string::npos, "the error names the file");
  }
  ok::Model model = ok::Model::fromText(R"(<ir_version: 8, opset_import: ["" : 17]>
g (float[2] x) => (float[2] y) { y = Relu(x) })");
  try {
    ok::optimize(model, {.passes = {"no-such-pass"}});
    Expect(false, "an unknown pass throws");
  } catch (const ok::Error& error) {
    Expect(std::string(error.what()).find("no-such-pass") != std::string::npos, "the error names the pass");
  }
  ok::NamedTensors outputs = ok::Session(model).run({{"x", ok::Tensor::fromFloats({2}, {-1.5f, 2.5f})}});
  Expect(outputs.at("y").at(0) == 0.0 && outputs.at("y").at(1) == 2.5, "Relu from the textual syntax runs");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer FIXTURES_DIR WORK_DIR\n");
    return 2;
  }
  fs::path fixtures = argv[1], work = argv[2];
  fs::create_directories(work);
  try {
    std::printf("version: %s\n", std::string(ok::version()).c_str());
    Expect(ok::version() == ONNXKIT_VERSION_STRING, "library and headers have the same version");
    std::vector<ok::PassInfo> passes = ok::listPasses();
    std::printf("passes: %zu\n", passes.size());
    Expect(std::any_of(passes.begin(), passes.end(), [](const ok::PassInfo& p) { return p.name == "fuse-conv-batchnorm"; }),
           "fuse-conv-batchnorm is listed");
    OptimizeAndRun(fixtures, work);
    QuantizeStatic(fixtures, work);
    Errors(work);
  } catch (const ok::Error& error) {
    std::printf("FAILED: unexpected onnxkit error: %s\n", error.what());
    return 1;
  }
  if (failures == 0)
    std::printf("consumer: all checks passed\n");
  else
    std::printf("consumer: %d checks failed\n", failures);
  return failures == 0 ? 0 : 1;
}
