#!/usr/bin/env bash
# Checks that every C++ line changed since the house style was written down (.clang-format's
# first commit) is formatted by it: a ratchet, so the code converges without one commit that
# reformats the whole tree. Exits 1 and prints the diff clang-format wants when a line is off.
# Fix with:  bash scripts/format-check.sh --fix   (rewrites those lines in the work tree)
# Usage: bash scripts/format-check.sh [--fix] [BASE]   (BASE: a commit; default the one above)
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=0
if [ "${1:-}" = "--fix" ]; then FIX=1; shift; fi
command -v git-clang-format >/dev/null || { echo "format-check: git-clang-format missing (apt-get install clang-format)" >&2; exit 2; }
BASE=${1:-$(git log --diff-filter=A --format=%H -- .clang-format | tail -1)}
[ -n "$BASE" ] || { echo "format-check: no commit adds .clang-format" >&2; exit 2; }
EXT=cpp,hpp,h,cc
if [ "$FIX" = 1 ]; then
  git clang-format --force --binary "$(command -v clang-format)" --extensions "$EXT" "$BASE" -- src test bench fuzz || true
  exit 0
fi
out=$(git clang-format --binary "$(command -v clang-format)" --extensions "$EXT" --diff "$BASE" -- src test bench fuzz || true)
case "$out" in
  ""|"no modified files to format"|"clang-format did not modify any files") echo "format-check: ok (lines changed since ${BASE:0:7})"; exit 0 ;;
esac
echo "$out"
echo "format-check: the lines above differ from .clang-format; run: bash scripts/format-check.sh --fix" >&2
exit 1
