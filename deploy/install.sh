#!/usr/bin/env bash
# Installs Hearth as a systemd service from this checkout (built with `npm ci`):
#   sudo deploy/install.sh [--no-start]
# Safe to run again (after an update, say): it changes only what differs, and never
# overwrites /etc/hearth/hearth.env or touches the data in /var/lib/hearth.
# HEARTH_ROOT=<dir> installs the files under <dir> instead of / (no user, no systemctl): a dry run.
set -euo pipefail

APP_DIR=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${HEARTH_ROOT:-}
START=1
[ "${1:-}" = "--no-start" ] && START=0

UNIT_DIR=$ROOT/etc/systemd/system
DROP_IN_DIR=$UNIT_DIR/hearth.service.d
ENV_DIR=$ROOT/etc/hearth
ENV_FILE=$ENV_DIR/hearth.env

say() { echo "hearth install: $*"; }
fail() { echo "hearth install: $*" >&2; exit 1; }

# Writes stdin to $1 (mode $2) only if it differs, so a second run changes nothing.
put() {
  local dest=$1 mode=$2 tmp
  tmp=$(mktemp)
  cat > "$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    return 0
  fi
  install -D -m "$mode" "$tmp" "$dest"
  rm -f "$tmp"
  say "wrote $dest"
  CHANGED=1
}

check_node() {
  NODE=$(command -v node) || fail "node not found; install Node.js 20.19+ or 22 first (docs/raspberry-pi.md)"
  "$NODE" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || fail "$NODE is Node $("$NODE" --version); Hearth needs 20.19 or newer"
  [ -f "$APP_DIR/dist/hub/main.js" ] || fail "$APP_DIR is not built; run npm ci there first"
  case "$APP_DIR" in
    /home/*|/root/*|/run/user/*) fail "$APP_DIR is in a home dir, which the service cannot see (ProtectHome); put the checkout in /opt/hearth" ;;
  esac
}

ensure_user() {
  [ -z "$ROOT" ] || return 0
  if ! getent passwd hearth >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/hearth --no-create-home --shell /usr/sbin/nologin hearth
    say "made the system user hearth"
  fi
}

install_env_file() {
  mkdir -p "$ENV_DIR"
  if [ ! -f "$ENV_FILE" ]; then
    install -m 0640 "$APP_DIR/deploy/hearth.env" "$ENV_FILE"
    say "wrote $ENV_FILE (edit it for ports and other settings)"
    CHANGED=1
  fi
  # Readable by the service's group only: it may hold a broker password (HUB_MQTT_URL).
  if [ -z "$ROOT" ]; then chown root:hearth "$ENV_DIR" "$ENV_FILE"; fi
  chmod 0750 "$ENV_DIR"
  chmod 0640 "$ENV_FILE"
}

# The value of HUB_BACKUP_DIR in the env file, if set.
backup_dir() {
  sed -n 's/^[[:space:]]*HUB_BACKUP_DIR=//p' "$ENV_FILE" | tail -n 1 | tr -d "\"'"
}

install_unit() {
  put "$UNIT_DIR/hearth.service" 0644 < "$APP_DIR/deploy/hearth.service"
  # Where this checkout and node really are, when not where the unit expects them.
  local overrides="" backups
  if [ "$APP_DIR" != /opt/hearth ] || [ "$NODE" != /usr/bin/node ]; then
    overrides+=$'[Service]\n'"WorkingDirectory=$APP_DIR"$'\nExecStart=\n'"ExecStart=$NODE $APP_DIR/dist/hub/main.js"$'\n'
  fi
  backups=$(backup_dir)
  if [ -n "$backups" ]; then
    [ -n "$overrides" ] || overrides=$'[Service]\n'
    overrides+="ReadWritePaths=$backups"$'\n'
    mkdir -p "$ROOT$backups"
    chmod 0700 "$ROOT$backups"
    [ -n "$ROOT" ] || chown hearth:hearth "$ROOT$backups"
  fi
  if [ -n "$overrides" ]; then
    printf '# Written by deploy/install.sh for this machine.\n%s' "$overrides" | put "$DROP_IN_DIR/install.conf" 0644
  elif [ -f "$DROP_IN_DIR/install.conf" ]; then
    rm -f "$DROP_IN_DIR/install.conf"
    say "removed $DROP_IN_DIR/install.conf"
    CHANGED=1
  fi
}

start_service() {
  [ -z "$ROOT" ] || return 0
  if [ ! -d /run/systemd/system ]; then
    say "systemd is not running here; start it later with: systemctl enable --now hearth"
    return 0
  fi
  systemctl daemon-reload
  if [ "$START" = 1 ]; then
    systemctl enable --quiet hearth
    # Restarted even when no file changed: after an update, the new checkout is what should run.
    systemctl restart hearth
    say "hearth is running: systemctl status hearth, journalctl -u hearth"
  fi
}

[ -n "$ROOT" ] || [ "$(id -u)" = 0 ] || fail "run as root (sudo $0)"
CHANGED=0
check_node
ensure_user
install_env_file
install_unit
start_service
[ "$CHANGED" = 1 ] || say "nothing to change"
