# calibration_tests: tests of passes/quant/calibration (onnxkit_test(calibration_tests ...))
