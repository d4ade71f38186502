// What the small-document fuzz targets share: the one check every parser's error must pass,
// and the dispatch that lets the first byte of an input pick the parser it goes to (seeds are
// named after their letter: 'a' is the first parser, 'b' the second…).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.hpp"

namespace soporte::fuzz {

// A parser's error always says what is wrong.
template <class T>
void CheckError(const Result<T>& r) {
  if (!r && r.error().message.empty()) __builtin_trap();
}

using Parser = void (*)(std::string_view);

// Runs the parser the first byte names ('a' + index, or any byte modulo the count) on the rest.
template <std::size_t N>
int Dispatch(const Parser (&parsers)[N], const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned first = data[0];
  const std::size_t pick = first >= 'a' && first < 'a' + N ? first - 'a' : first % N;
  parsers[pick](std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  return 0;
}

}  // namespace soporte::fuzz
