# onnxkit_quant: static QDQ insertion, QOperator lowering, dynamic quantization.
add_library(onnxkit_quant INTERFACE)
target_link_libraries(onnxkit_quant INTERFACE onnxkit_passes)
