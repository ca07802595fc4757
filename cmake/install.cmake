# Installation and packaging.
#
#   cmake --install build --prefix /opt/onnxkit     the tools, libonnxkit, include/onnxkit/ and the
#                                                  CMake package (find_package(onnxkit))
#   scripts/package.sh                             the Debian package (CPack), checked
#
# Components: "tools" (bin/onnx-*), "library" (libonnxkit.so.*), "development" (headers, the .so
# link, the CMake package). The Debian package holds all three.
include(CMakePackageConfigHelpers)

set(ONNXKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/onnxkit"
    CACHE STRING "Where onnxkitConfig.cmake is installed, relative to the prefix")

install(TARGETS onnx-opt onnx-run onnx-check onnx-quant onnx-info
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)

install(TARGETS onnxkit EXPORT onnxkitTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT library NAMELINK_COMPONENT development
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/onnxkit ${PROJECT_BINARY_DIR}/include/onnxkit
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development FILES_MATCHING PATTERN "*.h")

install(EXPORT onnxkitTargets NAMESPACE onnxkit:: DESTINATION ${ONNXKIT_INSTALL_CMAKEDIR} COMPONENT development)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/onnxkitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/onnxkitConfig.cmake
                              INSTALL_DESTINATION ${ONNXKIT_INSTALL_CMAKEDIR})
# 0.x: only the same minor version is compatible (the ABI may change with every minor version).
write_basic_package_version_file(${PROJECT_BINARY_DIR}/onnxkitConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/onnxkitConfig.cmake ${PROJECT_BINARY_DIR}/onnxkitConfigVersion.cmake
        DESTINATION ${ONNXKIT_INSTALL_CMAKEDIR} COMPONENT development)

# ----- Debian package (cpack in the build folder: onnxkit_<version>_<arch>.deb) -----
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME onnxkit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "Command-line tools (onnx-opt, onnx-quant, onnx-run, onnx-check, onnx-info) that optimize, quantize, run, compare and describe ONNX models, and the C++ library libonnxkit with its headers and CMake package (find_package(onnxkit)).")
set(CPACK_PACKAGE_CONTACT "onnxkit maintainers <maintainers@users.noreply.h-seed-45348ac0.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # debug info stays in the build tree
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# Depends: computed by dpkg-shlibdeps from what the tools and the library link against
# (libonnx1, libprotobuf32, libfmt9, zlib1g, libstdc++6, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A shlibs file for packages that link against libonnxkit; ldconfig runs on install/remove.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY "=")
# Building against the library needs a C++20 compiler and CMake; onnx-info --html draws with dot.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, g++ (>= 4:12), graphviz")
include(CPack)
