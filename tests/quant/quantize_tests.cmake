# quantize_tests: tests of the quantization transforms (onnxkit_test(quantize_tests ...))
