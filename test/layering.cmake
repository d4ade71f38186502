# Fails when a layer includes a header it must not (docs/architecture.md, "Layers"):
# the domain knows no I/O library, the app no SQL/HTTP/JSON, storage no HTTP/JSON/MIME,
# transport and jobs no SQL. Run by ctest as the `layering` test.
set(rules
  "domain|asio|beast|boost/json|sqlite3|libstemmer|libpq|pqxx|gmime|gumbo|curl|sodium|magic|storage/|transport/|app/|jobs/|system_clock"
  "app|asio|beast|boost/json|sqlite3|libstemmer|libpq|pqxx|gmime|gumbo|curl|storage/|transport/|jobs/|system_clock"
  "storage|asio|beast|boost/json|gmime|gumbo|curl|transport/|jobs/"
  "transport|sqlite3|libpq|pqxx|storage/"
  "jobs|sqlite3|libpq|pqxx|storage/|transport/")
set(failures "")
foreach(rule IN LISTS rules)
  string(REPLACE "|" ";" parts "${rule}")
  list(POP_FRONT parts layer)
  file(GLOB_RECURSE files "${SRC}/${layer}/*.hpp" "${SRC}/${layer}/*.cpp")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include|system_clock")
    foreach(line IN LISTS lines)
      foreach(bad IN LISTS parts)
        string(FIND "${line}" "${bad}" pos)
        if(NOT pos EQUAL -1)
          string(APPEND failures "${f}: '${line}' (layer ${layer} must not use ${bad})\n")
        endif()
      endforeach()
    endforeach()
  endforeach()
endforeach()
if(failures)
  message(FATAL_ERROR "layering violations:\n${failures}")
endif()
message(STATUS "layering: ok")
