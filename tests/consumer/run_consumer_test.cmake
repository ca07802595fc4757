# ctest consumer_project: install the current build into a fresh prefix, build tests/consumer
# against the installed CMake package, run it and check what it prints. Rebuilds nothing of the
# project itself (the build must be complete: cmake --install copies what is there).
#
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DGENERATOR=... -DCXX_COMPILER=...
#         [-DCXX_FLAGS=...] [-DEXE_LINKER_FLAGS=...] [-DBUILD_TYPE=...] [-DVERSION=...] -P run_consumer_test.cmake
cmake_minimum_required(VERSION 3.25)

foreach(variable BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "run_consumer_test.cmake: -D${variable}=... is required")
  endif()
endforeach()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${step} failed (${result}):\n${output}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# 1. Install.
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(tool onnx-opt onnx-run onnx-check onnx-quant onnx-info)
  if(NOT EXISTS ${prefix}/bin/${tool})
    message(FATAL_ERROR "not installed: bin/${tool}")
  endif()
endforeach()
file(GLOB_RECURSE config_files ${prefix}/*/onnxkitConfig.cmake ${prefix}/*/onnxkitConfigVersion.cmake
     ${prefix}/*/onnxkitTargets.cmake)
list(LENGTH config_files config_count)
if(NOT config_count EQUAL 3)
  message(FATAL_ERROR "the CMake package is incomplete: ${config_files}")
endif()
# The installed headers are the public API only: include/onnxkit/*.h, no internal header.
file(GLOB_RECURSE headers RELATIVE ${prefix}/include ${prefix}/include/*)
foreach(header IN LISTS headers)
  if(NOT header MATCHES "^onnxkit/[a-z_]+\\.h$")
    message(FATAL_ERROR "unexpected installed header: include/${header}")
  endif()
endforeach()
foreach(header onnxkit.h model.h passes.h runtime.h quantize.h tensor.h error.h export.h version.h)
  if(NOT EXISTS ${prefix}/include/onnxkit/${header})
    message(FATAL_ERROR "not installed: include/onnxkit/${header}")
  endif()
  file(STRINGS ${prefix}/include/onnxkit/${header} includes REGEX "#include \"")
  foreach(line IN LISTS includes)
    if(NOT line MATCHES "#include \"onnxkit/")
      message(FATAL_ERROR "include/onnxkit/${header} includes a non-public header: ${line}")
    endif()
  endforeach()
endforeach()
run("installed onnx-opt --version" ${prefix}/bin/onnx-opt --version)
message(STATUS "installed onnx-opt --version: ${output}")
if(DEFINED VERSION AND NOT output MATCHES "${VERSION}")
  message(FATAL_ERROR "installed onnx-opt --version does not say ${VERSION}: ${output}")
endif()

# 2. Configure and build the consumer against the prefix only.
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()
run("configuring the consumer" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}"
    "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}" -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
string(REGEX MATCH "onnxkit [0-9.]+ from [^\n]*" found "${output}")
message(STATUS "consumer configure: ${found}")
if(NOT found MATCHES " from ${prefix}/")
  message(FATAL_ERROR "the consumer did not find onnxkit in ${prefix}:\n${output}")
endif()
run("building the consumer" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)

# 3. Run it and check its figures.
run("running the consumer" ${WORK_DIR}/build/consumer ${SOURCE_DIR}/fixtures ${WORK_DIR}/run)
message(STATUS "consumer output:\n${output}")

function(value name result)
  if(NOT output MATCHES "(^|\n)${name}: ([^\n]*)")
    message(FATAL_ERROR "the consumer printed no '${name}:' line")
  endif()
  set(${result} "${CMAKE_MATCH_2}" PARENT_SCOPE)
endfunction()
function(expect condition_text)
  if(NOT (${ARGN}))
    message(FATAL_ERROR "check failed: ${condition_text}")
  endif()
endfunction()

value(nodes_before nodes_before)
value(nodes_after nodes_after)
value(batchnorm_after batchnorm_after)
value(optimized_vs_original_max_abs difference)
value(compare_passed compare_passed)
value(static_quantized_nodes static_quantized_nodes)
value(float_accuracy float_accuracy)
value(int8_accuracy int8_accuracy)
value(accuracy_drop accuracy_drop)
value(version version)
# CMake compares numbers as doubles: math() is integer-only, so compare the printed values.
expect("nodes decreased (${nodes_before} -> ${nodes_after})" nodes_after LESS nodes_before)
expect("no BatchNormalization left (${batchnorm_after})" batchnorm_after EQUAL 0)
expect("optimized vs original max abs error ${difference} <= 1e-4" difference LESS_EQUAL 0.0001)
expect("compareModels passed" compare_passed EQUAL 1)
expect("static quantization quantized nodes (${static_quantized_nodes})" static_quantized_nodes GREATER 0)
expect("INT8 accuracy ${int8_accuracy} within 0.02 of FP32 ${float_accuracy}" accuracy_drop LESS_EQUAL 0.02)
if(DEFINED VERSION)
  expect("the library's version ${version} is the project's ${VERSION}" version STREQUAL VERSION)
endif()
