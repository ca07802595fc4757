# onnxkit_quant: static QDQ insertion, QOperator lowering, dynamic quantization.
add_library(onnxkit_quant STATIC
  ${CMAKE_CURRENT_LIST_DIR}/qdq_insertion.cc
  ${CMAKE_CURRENT_LIST_DIR}/qdq_propagation.cc
  ${CMAKE_CURRENT_LIST_DIR}/qoperator_lowering.cc
  ${CMAKE_CURRENT_LIST_DIR}/quant_params.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_dynamic.cc
  ${CMAKE_CURRENT_LIST_DIR}/quantize_static.cc
)
target_link_libraries(onnxkit_quant PUBLIC onnxkit_passes onnxkit_runtime onnxkit_ir PRIVATE onnxkit_warnings)
