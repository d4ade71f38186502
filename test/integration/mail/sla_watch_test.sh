#!/usr/bin/env bash
# The SLA watch and staff alerts through the real server (issue 12): `soporte serve
# --sla-watch-interval 1` with a Crítico ticket received almost two hours ago (staff backdate
# received_at): its history gets sla_warning at once and sla_breached at the due, each exactly
# once, also across a SIGKILL and a restart between the two; /metrics counts them; the alert mails
# (new Crítico, warning, breach) reach the SMTP server in the agent's language; the alert
# preferences API refuses a bad zone naming the field and keeps a good choice; /api/v1/me/alerts
# lists the console's alerts; the resolution clock has no target until a supervisor sets one, and
# waiting on the customer pauses it. usage: sla_watch_test.sh SOPORTE_BIN
# Needs SOPORTE_SMTP_PORT and SOPORTE_MAILDIR (scripts/services.sh); skipped (77) without them.
set -u
bin=$1
if [[ -z ${SOPORTE_SMTP_PORT:-} || -z ${SOPORTE_MAILDIR:-} ]]; then
  echo "SKIP: mail services not running (scripts/services.sh start)"; exit 77
fi
failures=0
tmp=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
data=$tmp/data
run=$$-$RANDOM
agent="luis.$run@example.com"
boss="sara.$run@example.com"

"$bin" init --data "$data" >/dev/null
"$bin" org add --data "$data" --slug acme --name ACME >/dev/null
"$bin" contract add --data "$data" --org acme --modality 24x7 --valid-from 2020-01-01 >/dev/null
"$bin" user add --data "$data" --email "$agent" --name "Luis" --role agent >/dev/null
"$bin" user add --data "$data" --email "$boss" --name "Sara" --role supervisor >/dev/null
token=$("$bin" token create --data "$data" --email "$agent" --name sla-test)
boss_token=$("$bin" token create --data "$data" --email "$boss" --name sla-test)

start_server() {
  "$bin" serve --data "$data" --listen 127.0.0.1:0 --threads 1 --db-threads 4 --fast-password-hashing \
    --mail-from soporte@example.com --smtp-url "smtp://127.0.0.1:$SOPORTE_SMTP_PORT" \
    --sla-watch-interval 1 >"$tmp/server.out" 2>>"$tmp/server.err" &
  server_pid=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$tmp/server.out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$tmp/server.out")
  [[ -n $base ]] || { echo "server did not start: $(cat "$tmp/server.err")"; exit 1; }
}
api() { curl -s -H "Authorization: Bearer $token" -H "Content-Type: application/json" "$@"; }
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
wait_for() {
  local secs=$1; shift
  for _ in $(seq 1 $((secs * 5))); do "$@" && return 0; sleep 0.2; done
  return 1
}
count() { api "$base/api/v1/tickets/$n/history" | json "sum(1 for e in d['events'] if e['field'] == '$1')"; }
fired() { [[ $(count "$1") -ge 1 ]]; }
find_mail() {  # $1 recipient, $2 text in the subject or body
  grep -l -r -F "To: $1" "$SOPORTE_MAILDIR/new" "$SOPORTE_MAILDIR/cur" 2>/dev/null |
    xargs -r grep -l -F "$2" 2>/dev/null | head -1
}
has_mail() { [[ -n $(find_mail "$1" "$2") ]]; }

start_server

# 1. Bad alert preferences are refused naming the field; a good choice is kept.
r=$(api -X PUT "$base/api/v1/me/alert-preferences" -d '{"quiet_hours":{"start":"22:00","end":"07:00","zone":"Mars/Base"}}' -w ' %{http_code}')
[[ $r == *"400" && $r == *"quiet_hours.zone"* ]] || fail "bad zone: $r"
r=$(api -X PUT "$base/api/v1/me/alert-preferences" -d '{"quiet_hours":{"start":"25:00","end":"07:00","zone":"America/Bogota"}}' -w ' %{http_code}')
[[ $r == *"400" && $r == *"quiet_hours.start"* ]] || fail "bad start: $r"
r=$(api -X PUT "$base/api/v1/me/alert-preferences" -d '{"sla_warning":{"mail":true,"browser":"yes"}}' -w ' %{http_code}')
[[ $r == *"400" && $r == *"sla_warning.browser"* ]] || fail "bad channel: $r"
r=$(api "$base/api/v1/me/alert-preferences")
[[ $(echo "$r" | json "d['sla_breach']['mail'] and d['quiet_hours'] is None") == True ]] || fail "defaults: $r"
r=$(api -X PUT "$base/api/v1/me/alert-preferences" -d '{"new_critical":{"mail":true,"browser":false}}' -w ' %{http_code}')
[[ $r == *"200" ]] || fail "good preferences: $r"
r=$(api "$base/api/v1/me/alert-preferences")
[[ $(echo "$r" | json "d['new_critical']['browser']") == False ]] || fail "kept: $r"

# 2. A Crítico ticket received 1 h 59 min 52 s ago: warning at once, breach ~8 s later.
received=$(date -u -d "@$(( $(date +%s) - 7192 ))" +%Y-%m-%dT%H:%M:%SZ)
t=$(api -X POST "$base/api/v1/tickets" -d "{\"org\":\"acme\",\"type\":\"incident\",\"criticality\":\"critical\",\"channel\":\"phone\",\"subject\":\"Caída total $run\",\"received_at\":\"$received\"}")
n=$(echo "$t" | json "d['number']")
[[ -n $n ]] || fail "no ticket: $t"
wait_for 10 fired sla_warning || fail "no sla_warning in #$n (server: $(tail -3 "$tmp/server.err"))"
[[ $(count sla_breached) == 0 ]] || fail "breach before the due"

# 3. The node dies between the two thresholds; the restarted one fires the breach once.
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null; server_pid=""
start_server
wait_for 20 fired sla_breached || fail "no sla_breached in #$n after the restart"
sleep 3  # three more watch runs
[[ $(count sla_warning) == 1 ]] || fail "sla_warning fired $(count sla_warning) times"
[[ $(count sla_breached) == 1 ]] || fail "sla_breached fired $(count sla_breached) times"
hist=$(api "$base/api/v1/tickets/$n/history")
order=$(echo "$hist" | json "','.join(e['field'] for e in d['events'] if e['field'].startswith('sla_'))")
[[ $order == "sla_warning,sla_breached" ]] || fail "order: $order"
m=$(curl -s "$base/metrics")
echo "$m" | grep -q '^soporte_sla_thresholds_fired_total{kind="breach"} 1' || fail "metrics: $(echo "$m" | grep sla_thresholds)"

# 4. The alerts reached the SMTP server (Spanish: the agent's language is unknown, the desk's is es).
wait_for 30 has_mail "$agent" "Nuevo ticket" || fail "no new-critical alert mail to $agent"
wait_for 30 has_mail "$agent" "Aviso de SLA" || fail "no warning alert mail to $agent"
wait_for 30 has_mail "$agent" "SLA incumplido" || fail "no breach alert mail to $agent"
wait_for 30 has_mail "$boss" "SLA incumplido" || fail "no breach alert mail to the supervisor"
has_mail "$boss" "Aviso de SLA" && fail "the supervisor got the warning"
w=$(find_mail "$agent" "Aviso de SLA")
[[ -n $w ]] && { grep -q "^Auto-Submitted: auto-generated" "$w" || fail "alert mail without Auto-Submitted"; }

# 5. The console's alerts: warning and breach (new_critical was set to mail only).
a=$(api "$base/api/v1/me/alerts?after=0")
kinds=$(echo "$a" | json "','.join(x['kind'] for x in d['alerts'])")
[[ $kinds == "sla_warning,sla_breach" ]] || fail "alerts: $a"
r=$(api "$base/api/v1/me/alerts?after=x" -w ' %{http_code}')
[[ $r == *"400" && $r == *"after"* ]] || fail "bad after: $r"

# 6. The resolution clock: no target by default; a supervisor sets one; waiting pauses it.
r=$(api "$base/api/v1/tickets/$n")
[[ $(echo "$r" | json "d['resolution']['state'] + ' ' + str(d['resolution']['target_seconds'])") == "running None" ]] || fail "resolution: $r"
path="$base/api/v1/orgs/acme/contracts/1/resolution-target"
r=$(api -X PUT "$path" -d '{"minutes":600}' -w ' %{http_code}')
[[ $r == *"403" ]] || fail "an agent set the resolution target: $r"
r=$(curl -s -H "Authorization: Bearer $boss_token" -H "Content-Type: application/json" -X PUT "$path" -d '{"minutes":0}' -w ' %{http_code}')
[[ $r == *"400" && $r == *"minutes"* ]] || fail "bad minutes: $r"
r=$(curl -s -H "Authorization: Bearer $boss_token" -H "Content-Type: application/json" -X PUT "$path" -d '{"minutes":600}' -w ' %{http_code}')
[[ $r == '{"minutes":600} 200' ]] || fail "set target: $r"
r=$(api -X PATCH "$base/api/v1/tickets/$n" -d '{"status":"waiting_customer"}')
[[ $(echo "$r" | json "d['resolution']['state'] + ' ' + str(d['resolution']['target_seconds'])") == "paused 36000" ]] || fail "paused: $r"

if [[ $failures -gt 0 ]]; then echo "$failures failure(s)"; exit 1; fi
echo "ok"
