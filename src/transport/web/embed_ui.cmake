# Build step: turns the web UI's files (ui/**) into a .cpp with one raw string literal each, so
# the binary serves its own assets (no install step, no separate web server). Run by
# src/transport/CMakeLists.txt as
#   cmake -DOUT=<file.cpp> -DROOT=<ui dir> -P embed_ui.cmake
# Text files only (HTML, CSS, JS, JSON, SVG): a NUL byte or the raw-string delimiter fails the build.
file(GLOB_RECURSE files RELATIVE "${ROOT}" "${ROOT}/*")
list(SORT files)
set(body "")
foreach(rel IN LISTS files)
  if(NOT rel MATCHES "\\.(html|css|js|json|svg|txt)$")
    continue()
  endif()
  file(READ "${ROOT}/${rel}" text)
  string(FIND "${text}" ")soporte_ui\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "ui/${rel} contains the raw-string delimiter")
  endif()
  string(APPEND body "    {\"/ui/${rel}\", R\"soporte_ui(${text})soporte_ui\"},\n")
endforeach()
file(WRITE "${OUT}.tmp"
"// Generated from ui/** by src/transport/web/embed_ui.cmake. Do not edit.
#include \"transport/web/static_assets.hpp\"

namespace soporte::transport::web {

std::span<const EmbeddedAsset> EmbeddedAssets() {
  static const EmbeddedAsset kAssets[] = {
${body}  };
  return kAssets;
}

}  // namespace soporte::transport::web
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
