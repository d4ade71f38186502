#!/usr/bin/env bash
# Throwaway mail servers on loopback for the integration tests (see STACK-NOTES §6):
#   Dovecot IMAP (user agent / password secreto, Maildir) and aiosmtpd (an SMTP sink that
#   delivers every message into that Maildir), so SMTP → Maildir → IMAP is a full loop.
# usage: scripts/services.sh start|stop|status|start-smtp|stop-smtp
# Ports from SOPORTE_IMAP_PORT (31143) and SOPORTE_SMTP_PORT (31025). The state directory is
# recorded in $SOPORTE_SVC_FILE (default /tmp/soporte-svc.last). Idempotent: `start` starts
# only what is not running; `stop` stops what runs and removes the state. Needs root (Dovecot
# drops to nobody; aiosmtpd as root drops to nobody too). Prints the exports for the tests.
set -euo pipefail
IMAP_PORT=${SOPORTE_IMAP_PORT:-31143}
SMTP_PORT=${SOPORTE_SMTP_PORT:-31025}
STATE_FILE=${SOPORTE_SVC_FILE:-/tmp/soporte-svc.last}

wait_port() {
  for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done
  echo "services: port $1 not up" >&2
  return 1
}
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

state_dir() {
  if [ -f "$STATE_FILE" ] && [ -d "$(cat "$STATE_FILE")" ]; then cat "$STATE_FILE"; return; fi
  local s
  s=$(mktemp -d /tmp/soporte-svc.XXXXXX)
  chmod 755 "$s"  # dovecot and nobody must traverse it
  echo "$s" > "$STATE_FILE"
  echo "$s"
}

start_imap() {
  local s=$1
  if alive "$(cat "$s/mail/run/master.pid" 2>/dev/null)"; then return 0; fi
  mkdir -p "$s/mail/run" "$s/mail/state" "$s/mail/users/agent/Maildir/"{cur,new,tmp}
  chown -R nobody:nogroup "$s/mail/users"
  echo 'agent:{PLAIN}secreto' > "$s/mail/passwd"
  chgrp dovecot "$s/mail/passwd"; chmod 640 "$s/mail/passwd"
  cat > "$s/mail/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $s/mail/run
state_dir = $s/mail/state
log_path = $s/mail/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $s/mail/passwd
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$s/mail/users/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
  # Never leave a daemon on the caller's stdout/stderr: a piped caller would never see EOF.
  dovecot -c "$s/mail/dovecot.conf" </dev/null >>"$s/mail/dovecot.out" 2>&1
  wait_port "$IMAP_PORT"
}

start_smtp() {
  local s=$1
  if alive "$(cat "$s/mail/smtp.pid" 2>/dev/null)"; then return 0; fi
  mkdir -p "$s/mail/users/agent/Maildir/"{cur,new,tmp}
  chown -R nobody:nogroup "$s/mail/users"
  # Debian's aiosmtpd: /usr/bin/python3 (the image's pyenv python cannot see apt packages).
  local nosetuid=""
  [ "$(id -u)" -eq 0 ] || nosetuid="-n"  # as root it drops to nobody, who owns the Maildir
  nohup /usr/bin/python3 -m aiosmtpd $nosetuid -l 127.0.0.1:"$SMTP_PORT" -c aiosmtpd.handlers.Mailbox \
    "$s/mail/users/agent/Maildir" </dev/null >>"$s/mail/smtp.log" 2>&1 &
  echo $! > "$s/mail/smtp.pid"
  wait_port "$SMTP_PORT"
}

stop_pid() {
  local pid=$1
  alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

exports() {
  echo "export SOPORTE_IMAP_PORT=$IMAP_PORT SOPORTE_SMTP_PORT=$SMTP_PORT SOPORTE_MAILDIR=$1/mail/users/agent/Maildir SOPORTE_SVC_DIR=$1"
}

case "${1:-}" in
  start)
    s=$(state_dir)
    start_imap "$s"
    start_smtp "$s"
    exports "$s"
    ;;
  start-smtp)
    s=$(state_dir); start_smtp "$s"; exports "$s" ;;
  stop-smtp)
    [ -f "$STATE_FILE" ] || exit 0
    s=$(cat "$STATE_FILE"); stop_pid "$(cat "$s/mail/smtp.pid" 2>/dev/null)"; rm -f "$s/mail/smtp.pid" ;;
  stop)
    [ -f "$STATE_FILE" ] || exit 0
    s=$(cat "$STATE_FILE")
    stop_pid "$(cat "$s/mail/smtp.pid" 2>/dev/null)"
    stop_pid "$(cat "$s/mail/run/master.pid" 2>/dev/null)"
    rm -rf "$s" "$STATE_FILE"
    ;;
  status)
    [ -f "$STATE_FILE" ] || { echo "stopped"; exit 0; }
    s=$(cat "$STATE_FILE")
    alive "$(cat "$s/mail/run/master.pid" 2>/dev/null)" && echo "imap up ($IMAP_PORT)" || echo "imap down"
    alive "$(cat "$s/mail/smtp.pid" 2>/dev/null)" && echo "smtp up ($SMTP_PORT)" || echo "smtp down"
    ;;
  *) echo "usage: $0 start|stop|status|start-smtp|stop-smtp" >&2; exit 2 ;;
esac
