# calibration_tests: tests of passes/quant/calibration.
onnxkit_test(calibration_tests
  ${CMAKE_CURRENT_LIST_DIR}/calibration_histogram_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/calibration_methods_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/calibration_table_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/calibration_data_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/calibration_calibrator_test.cc
)
target_link_libraries(calibration_tests PRIVATE onnxkit_calibration)
# Next to the other test executables: build-*/tests/calibration_tests.
set_target_properties(calibration_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
