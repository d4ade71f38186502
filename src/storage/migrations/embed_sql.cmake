# Build step: turns the numbered migration files into a .cpp with one raw string literal each,
# so the binary carries its own schema. Run by src/storage/CMakeLists.txt as
#   cmake -DOUT=<file.cpp> -DDIALECT=<name> -DFILES=<a.sql;b.sql> -P embed_sql.cmake
# Each file must be named NNNN_title.sql; the number is the schema version it brings.
list(SORT FILES)
set(body "")
foreach(f IN LISTS FILES)
  get_filename_component(name "${f}" NAME)
  if(NOT name MATCHES "^([0-9][0-9][0-9][0-9])_[a-z0-9_]+\\.sql$")
    message(FATAL_ERROR "migration file name must be NNNN_title.sql: ${name}")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  file(READ "${f}" sql)
  string(FIND "${sql}" ")soporte_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the raw-string delimiter")
  endif()
  string(APPEND body "    {${version}, \"${name}\", R\"soporte_sql(${sql})soporte_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp"
"// Generated from src/storage/migrations/${DIALECT}/*.sql by embed_sql.cmake. Do not edit.
#include \"storage/migrations/embedded.hpp\"

namespace soporte::storage {

std::span<const EmbeddedMigration> ${DIALECT}_migrations() {
  static const EmbeddedMigration kMigrations[] = {
${body}  };
  return kMigrations;
}

}  // namespace soporte::storage
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
