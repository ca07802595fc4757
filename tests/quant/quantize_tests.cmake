# quantize_tests: tests of the quantization transforms (static QDQ, dynamic, fixtures).
onnxkit_test(quantize_tests
  ${CMAKE_CURRENT_LIST_DIR}/quant_test_util.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_params_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_qoperator_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_static_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_dynamic_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_fixtures_test.cc
)
target_link_libraries(quantize_tests PRIVATE onnxkit_quant)
