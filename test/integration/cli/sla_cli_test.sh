#!/usr/bin/env bash
# Runs the real binary for `soporte sla due|explain` and `soporte holidays`: exact outputs, error
# lines and exit statuses that scripts rely on. Usage: sla_cli_test.sh SOPORTE_BIN TEST_DATA_DIR
set -u
bin=$1
data=$2
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect STATUS EXPECTED_STDOUT -- ARGS...
expect() {
  local want_status=$1 want_out=$2
  shift 3
  local out status
  out=$("$bin" "$@" 2>"$tmp/err")
  status=$?
  [[ $status == "$want_status" ]] || fail "soporte $* → status $status, want $want_status ($(cat "$tmp/err"))"
  [[ $out == "$want_out" ]] || fail "soporte $* → '$out', want '$want_out'"
}

# expect_error OPTION_NAMED ARGS...: exit 2, nothing on stdout, one line on stderr naming it.
expect_error() {
  local named=$1
  shift
  local out status
  out=$("$bin" "$@" 2>"$tmp/err")
  status=$?
  [[ $status == 2 ]] || fail "soporte $* → status $status, want 2"
  [[ -z $out ]] || fail "soporte $* → stdout '$out'"
  [[ $(wc -l <"$tmp/err") == 1 ]] || fail "soporte $* → stderr not one line: $(cat "$tmp/err")"
  grep -q -- "^error: .*$named" "$tmp/err" || fail "soporte $* → '$(cat "$tmp/err")' does not name $named"
}

# The issue's examples.
expect 0 2026-12-07T14:00:00-05:00 -- sla due --modality 8x5 --criticality normal --channel portal --received 2026-12-04T16:00:00-05:00
expect 0 2026-12-09T12:00:00-05:00 -- sla due --modality 8x5 --criticality important --channel portal --received 2026-12-08T10:00:00-05:00
expect 0 2026-12-07T10:00:00-05:00 -- sla due --modality 24x7 --criticality critical --channel email --received 2026-12-05T22:00:00-05:00
expect 0 2026-12-06T00:00:00-05:00 -- sla due --modality 24x7 --criticality critical --channel phone --received 2026-12-05T22:00:00-05:00
expect 0 2026-12-07T14:00:00+01:00 -- sla due --modality 8x5 --criticality normal --channel portal --received 2026-12-04T16:00:00+01:00 --tz Europe/Madrid
expect 0 2026-12-07T14:00:00-05:00 -- sla due --modality 8x5 --criticality normal --channel portal --received 2026-12-04T21:00:00Z

# Every golden case through the real binary, one process, in --batch.
grep -v '^#' "$data/sla_cases.tsv" | awk -F'\t' '$5 == "America/Bogota" {print $1"\t"$2"\t"$3"\t"$4}' >"$tmp/in"
grep -v '^#' "$data/sla_cases.tsv" | awk -F'\t' '$5 == "America/Bogota" {print $6}' >"$tmp/want"
"$bin" sla due --batch <"$tmp/in" >"$tmp/got"
status=$?
[[ $status == 0 ]] || fail "batch of golden cases → status $status"
diff -u "$tmp/want" "$tmp/got" || fail "batch of golden cases differs"

# Batch with bad lines: errors in place, order kept, status 1 at the end.
printf '8x5\tnormal\tportal\t2026-12-04T16:00:00-05:00\n8x5\turgent\tportal\t2026-12-04T16:00:00-05:00\n24x7\tcritical\tphone\t2026-12-05T22:00:00-05:00\n' >"$tmp/bad"
out=$("$bin" sla due --batch <"$tmp/bad")
status=$?
[[ $status == 1 ]] || fail "bad batch → status $status, want 1"
[[ $(sed -n 1p <<<"$out") == 2026-12-07T14:00:00-05:00 ]] || fail "bad batch line 1: $out"
[[ $(sed -n 2p <<<"$out") == error:* ]] || fail "bad batch line 2: $out"
[[ $(sed -n 3p <<<"$out") == 2026-12-06T00:00:00-05:00 ]] || fail "bad batch line 3: $out"

# Bad options and values: one line naming them, status 2.
ok=(--modality 8x5 --criticality normal --channel portal --received 2026-12-04T16:00:00-05:00)
expect_error --criticality sla due --modality 8x5 --criticality urgent --channel portal --received 2026-12-04T16:00:00-05:00
expect_error --received sla due --modality 8x5 --criticality normal --channel portal --received yesterday
expect_error --tz sla due "${ok[@]}" --tz Mars/Base
expect_error --modality sla due --modality 5x8 --criticality normal --channel portal --received 2026-12-04T16:00:00-05:00
expect_error --channel sla due --modality 8x5 --criticality normal --channel fax --received 2026-12-04T16:00:00-05:00
expect_error --modality sla due --criticality normal --channel portal --received 2026-12-04T16:00:00-05:00
expect_error --received sla due --modality 8x5 --criticality normal --channel portal --received 1950-01-01T00:00:00Z
expect_error --lang sla explain "${ok[@]}" --lang fr
expect_error --bogus sla due "${ok[@]}" --bogus
expect_error YEAR holidays 1983
expect_error YEAR holidays nineteen
expect_error --country holidays 2026 --country AR

# explain: Spanish by default, English with --lang en; the holiday by name.
es=$("$bin" sla explain --modality 8x5 --criticality important --channel portal --received 2026-12-07T16:00:00-05:00)
[[ $? == 0 ]] || fail "explain status"
grep -q "festivo: Inmaculada Concepción" <<<"$es" || fail "explain (es) lacks the holiday: $es"
grep -q "Vence:             2026-12-09T10:00:00-05:00" <<<"$es" || fail "explain (es) due: $es"
en=$("$bin" sla explain --modality 8x5 --criticality normal --channel email --received 2026-12-05T10:00:00-05:00 --lang en)
grep -q "weekend\|next opening" <<<"$en" || fail "explain (en): $en"
grep -q "Due:               2026-12-07T16:00:00-05:00" <<<"$en" || fail "explain (en) due: $en"

# holidays: the golden lists.
for f in "$data"/holidays_co_*.tsv; do
  y=${f##*_}
  y=${y%.tsv}
  "$bin" holidays "$y" --country CO | diff -u "$f" - || fail "holidays $y"
done

if ((failures > 0)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok"
