#!/usr/bin/env bash
# ProxiCloud installer: Debian 12/13, Ubuntu 22.04/24.04 and Proxmox VE hosts.
#
#   install.sh [--tarball FILE | --from-source [DIR]] [options]    install, or upgrade in place
#   install.sh --uninstall [--purge]                                 remove (data kept unless --purge)
#
# Installs Node.js 20.19+ (the distribution's package where it is new enough, else the official
# nodejs.org build, checksum-verified, under /opt/proxicloud/node), a `proxicloud` system user,
# the release under /opt/proxicloud/releases/<version> (symlink /opt/proxicloud/current; the
# previous release is kept for rollback), /etc/proxicloud/config.env, data in /var/lib/proxicloud,
# runs the database migrations (after a backup, on upgrade), installs and starts
# proxicloud.service, and prints the URL and the first admin password once.
# Non-interactive: it never prompts. Run with --help for the options. See docs/install.md.
set -Eeuo pipefail

readonly MIN_NODE_MAJOR=20 MIN_NODE_MINOR=19 MAX_NODE_MAJOR=24
NODE_DIST_VERSION="${PROXICLOUD_NODE_VERSION:-v22.20.0}"

ROOT=""            # install under this directory instead of / (tests, image builds)
TARBALL=""
FROM_SOURCE=""
UNINSTALL=0
PURGE=0
START=1
FORCE=0
SKIP_NODE=0
NODE_BIN=""
PORT="" HOST="" S3_PORT="" DATABASE_URL_OPT="" ADMIN_PASSWORD=""
PROXMOX_URL_OPT="" PROXMOX_TOKEN_OPT="" PROXMOX_FINGERPRINT_OPT=""
TLS_MODE="" TLS_CERT="" TLS_KEY="" TRUST_PROXY=""

log() { printf '\033[1m[proxicloud]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[proxicloud] error:\033[0m %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: install.sh [options]

Source (one of; default: the release tarball next to this script, else --from-source):
  --tarball FILE          install this release tarball (npm run release makes one)
  --from-source [DIR]     build a release from this checkout (default: the one containing the script)

Settings (first install writes them to /etc/proxicloud/config.env; on upgrade, given ones replace):
  --port N                console/API port (default 8080)
  --host ADDR             listen address (default 0.0.0.0)
  --s3-port N|off         S3 endpoint port (default 9000)
  --database-url URL      PostgreSQL (postgres://user:pass@host/db); default SQLite in the data dir
  --admin-password PW     first admin password (default: generated, printed once); or env
                          PROXICLOUD_ADMIN_PASSWORD
  --proxmox-url URL       Proxmox VE API, e.g. https://pve1:8006 (without it: demo mode)
  --proxmox-token TOKEN   API token user@realm!name=secret (see docs/proxmox.md)
  --proxmox-token-file F  read the token from a file (keeps it off the command line)
  --proxmox-fingerprint FP  SHA-256 fingerprint of the PVE certificate
  --tls self-signed|off   HTTPS with a generated self-signed certificate, or plain HTTP (default)
  --tls-cert FILE --tls-key FILE   HTTPS with your certificate (copied to /etc/proxicloud/tls)
  --trust-proxy CIDRS     reverse proxies to trust, e.g. 127.0.0.1,10.0.0.0/8

Behaviour:
  --no-start              install/upgrade but do not (re)start the service
  --node PATH             use this node binary (20.19 to 24)
  --skip-node             never install Node.js (fail if none suitable is found)
  --root DIR              install into DIR instead of / (no systemctl, no service start)
  --force                 continue on an unsupported OS
  --uninstall             stop and remove ProxiCloud; keeps /etc/proxicloud and /var/lib/proxicloud
  --purge                 with --uninstall: also remove configuration, data and the proxicloud user
  -h, --help              this help
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --tarball) TARBALL="${2:?--tarball needs a file}"; shift 2 ;;
    --from-source)
      if [[ $# -gt 1 && "${2:0:2}" != "--" ]]; then FROM_SOURCE="$2"; shift 2; else FROM_SOURCE="auto"; shift; fi ;;
    --port) PORT="${2:?}"; shift 2 ;;
    --host) HOST="${2:?}"; shift 2 ;;
    --s3-port) S3_PORT="${2:?}"; shift 2 ;;
    --database-url) DATABASE_URL_OPT="${2:?}"; shift 2 ;;
    --admin-password) ADMIN_PASSWORD="${2:?}"; shift 2 ;;
    --proxmox-url) PROXMOX_URL_OPT="${2:?}"; shift 2 ;;
    --proxmox-token) PROXMOX_TOKEN_OPT="${2:?}"; shift 2 ;;
    --proxmox-token-file)
      [[ -r "${2:?}" ]] || die "--proxmox-token-file: cannot read $2"
      PROXMOX_TOKEN_OPT="$(tr -d '\n' <"$2")"; shift 2 ;;
    --proxmox-fingerprint) PROXMOX_FINGERPRINT_OPT="${2:?}"; shift 2 ;;
    --tls) TLS_MODE="${2:?}"; shift 2 ;;
    --tls-cert) TLS_CERT="${2:?}"; shift 2 ;;
    --tls-key) TLS_KEY="${2:?}"; shift 2 ;;
    --trust-proxy) TRUST_PROXY="${2:?}"; shift 2 ;;
    --no-start) START=0; shift ;;
    --node) NODE_BIN="${2:?}"; shift 2 ;;
    --skip-node) SKIP_NODE=1; shift ;;
    --root) ROOT="${2:?}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    --purge) PURGE=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
ADMIN_PASSWORD="${ADMIN_PASSWORD:-${PROXICLOUD_ADMIN_PASSWORD:-}}"
[[ -n "$ROOT" ]] && ROOT="$(realpath -m "$ROOT")"
[[ "$ROOT" == "/" ]] && ROOT=""

readonly APP_DIR="$ROOT/opt/proxicloud"
readonly ETC_DIR="$ROOT/etc/proxicloud"
readonly DATA_DIR_REAL="/var/lib/proxicloud"
readonly DATA_DIR="$ROOT$DATA_DIR_REAL"
readonly UNIT_FILE="$ROOT/etc/systemd/system/proxicloud.service"
readonly CLI_LINK="$ROOT/usr/local/bin/proxicloud"
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
SYSTEMD=0
[[ -z "$ROOT" && -d /run/systemd/system ]] && command -v systemctl >/dev/null && SYSTEMD=1

if [[ $EUID -ne 0 && -z "$ROOT" ]]; then
  die "run as root (sudo $0 $*)"
fi

# ---------------------------------------------------------------------------------------------
# Operating system
detect_os() {
  local id="" version="" pve=0
  if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    id="$(. /etc/os-release && echo "${ID:-}")"
    # shellcheck disable=SC1091
    version="$(. /etc/os-release && echo "${VERSION_ID:-}")"
  fi
  if command -v pveversion >/dev/null 2>&1 || [[ -d /etc/pve ]]; then pve=1; fi
  case "$id:$version" in
    debian:12|debian:13|ubuntu:22.04|ubuntu:24.04) ;;
    *)
      if [[ $FORCE -eq 1 ]]; then
        log "unsupported OS ${id:-unknown} ${version:-?}; continuing because of --force"
      else
        die "unsupported OS ${id:-unknown} ${version:-?} (supported: Debian 12/13, Ubuntu 22.04/24.04, Proxmox VE 8/9); --force to try anyway"
      fi ;;
  esac
  if [[ $pve -eq 1 ]]; then
    log "detected Proxmox VE on $id $version"
  else
    log "detected $id $version"
  fi
}

# ---------------------------------------------------------------------------------------------
# Node.js
node_ok() {
  local bin="$1" v major minor
  [[ -x "$bin" ]] || return 1
  v="$("$bin" -p 'process.versions.node' 2>/dev/null)" || return 1
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  if (( major < MIN_NODE_MAJOR || major > MAX_NODE_MAJOR )); then return 1; fi
  if (( major == MIN_NODE_MAJOR && minor < MIN_NODE_MINOR )); then return 1; fi
  return 0
}

install_node_tarball() {
  local arch url dir tmp sums file
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) die "no official Node.js build for $(uname -m); install Node.js 20.19+ and pass --node" ;;
  esac
  command -v curl >/dev/null || apt-get install -y --no-install-recommends curl ca-certificates xz-utils >&2
  file="node-${NODE_DIST_VERSION}-linux-${arch}.tar.xz"
  url="https://nodejs.org/dist/${NODE_DIST_VERSION}"
  tmp="$(mktemp -d)"
  log "downloading Node.js ${NODE_DIST_VERSION} from nodejs.org"
  curl -fsSL "$url/$file" -o "$tmp/$file"
  curl -fsSL "$url/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt"
  sums="$(grep " ${file}\$" "$tmp/SHASUMS256.txt" || true)"
  [[ -n "$sums" ]] || die "no checksum for $file in SHASUMS256.txt"
  (cd "$tmp" && printf '%s\n' "$sums" | sha256sum -c --quiet -) || die "Node.js download failed its checksum"
  dir="$APP_DIR/node"
  rm -rf "$dir.new"
  mkdir -p "$dir.new"
  tar -xJf "$tmp/$file" -C "$dir.new" --strip-components=1
  rm -rf "$dir" && mv "$dir.new" "$dir"
  rm -rf "$tmp"
  NODE_BIN="$dir/bin/node"
}

ensure_node() {
  if [[ -n "$NODE_BIN" ]]; then
    node_ok "$NODE_BIN" || die "--node $NODE_BIN is not Node.js 20.19 to 24"
  elif node_ok "$APP_DIR/node/bin/node"; then
    NODE_BIN="$APP_DIR/node/bin/node"
  elif command -v node >/dev/null && node_ok "$(command -v node)"; then
    NODE_BIN="$(command -v node)"
  elif [[ $SKIP_NODE -eq 1 ]]; then
    die "no Node.js 20.19 to 24 found (and --skip-node was given)"
  else
    # The distribution's nodejs where it is new enough (Debian 13 / PVE 9: 20.19); else nodejs.org.
    local candidate=""
    if [[ -z "$ROOT" ]] && command -v apt-cache >/dev/null; then
      candidate="$(apt-cache policy nodejs 2>/dev/null | awk '/Candidate:/ {print $2}')"
    fi
    if [[ "$candidate" =~ ^([0-9]+)\.([0-9]+) ]] &&
       (( BASH_REMATCH[1] > MIN_NODE_MAJOR || (BASH_REMATCH[1] == MIN_NODE_MAJOR && BASH_REMATCH[2] >= MIN_NODE_MINOR) )) &&
       (( BASH_REMATCH[1] <= MAX_NODE_MAJOR )); then
      log "installing the distribution's Node.js $candidate"
      DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm >&2
      NODE_BIN="$(command -v node)"
    else
      install_node_tarball
    fi
  fi
  node_ok "$NODE_BIN" || die "Node.js at $NODE_BIN is not usable"
  mkdir -p "$APP_DIR/bin"
  ln -sfn "$NODE_BIN" "$APP_DIR/bin/node"
  log "Node.js $("$NODE_BIN" -v) ($NODE_BIN)"
}

npm_for_node() {
  local dir
  dir="$(dirname "$NODE_BIN")"
  if [[ -x "$dir/npm" ]]; then echo "$dir/npm"; elif command -v npm >/dev/null; then command -v npm; else
    die "npm is needed to build native modules for this Node.js; install npm"
  fi
}

# ---------------------------------------------------------------------------------------------
# Release
build_from_source() {
  local src="$1" out
  [[ "$src" == "auto" ]] && src="$(cd "$SCRIPT_DIR/.." && pwd)"
  [[ -f "$src/package.json" && -f "$src/scripts/release.mjs" ]] || die "$src is not a ProxiCloud checkout"
  out="$(mktemp -d)"
  log "building a release from $src"
  local npm
  npm="$(npm_for_node)"
  if [[ ! -d "$src/node_modules" ]]; then (cd "$src" && "$npm" ci --no-audit --no-fund >&2); fi
  (cd "$src" && PATH="$(dirname "$NODE_BIN"):$PATH" "$NODE_BIN" scripts/release.mjs --out "$out" >&2)
  TARBALL="$(find "$out" -name 'proxicloud-*.tar.gz' | head -n1)"
  [[ -n "$TARBALL" ]] || die "the release build produced no tarball"
}

install_release() {
  local tmp top version dest abi host_abi
  [[ -f "$TARBALL" ]] || die "release tarball not found: $TARBALL"
  if [[ -f "$TARBALL.sha256" ]]; then
    (cd "$(dirname "$TARBALL")" && sha256sum -c --quiet "$(basename "$TARBALL").sha256") ||
      die "$TARBALL does not match its .sha256"
  fi
  mkdir -p "$APP_DIR/releases"
  tmp="$(mktemp -d "$APP_DIR/releases/.incoming.XXXXXX")"
  tar -xzf "$TARBALL" -C "$tmp"
  top="$(find "$tmp" -mindepth 1 -maxdepth 1 -type d | head -n1)"
  [[ -f "$top/RELEASE.json" ]] || die "$TARBALL is not a ProxiCloud release (no RELEASE.json)"
  version="$("$NODE_BIN" -p "require('$top/RELEASE.json').version")"
  abi="$("$NODE_BIN" -p "require('$top/RELEASE.json').nodeAbi")"
  host_abi="$("$NODE_BIN" -p 'process.versions.modules')"
  if [[ ! -d "$top/node_modules" ]]; then
    log "installing production dependencies (npm ci --omit=dev)"
    (cd "$top" && "$(npm_for_node)" ci --omit=dev --no-audit --no-fund --loglevel=error >&2)
  elif [[ "$abi" != "$host_abi" ]]; then
    log "rebuilding native modules for this Node.js (release ABI $abi, host $host_abi)"
    (cd "$top" && PATH="$(dirname "$NODE_BIN"):$PATH" "$(npm_for_node)" rebuild better-sqlite3 >&2)
  fi
  (cd "$top" && "$NODE_BIN" -e "require('better-sqlite3')") ||
    die "the release's native modules do not load with $("$NODE_BIN" -v)"
  dest="$APP_DIR/releases/$version-$(date -u +%Y%m%d%H%M%S)"
  mv "$top" "$dest"
  rm -rf "$tmp"
  NEW_RELEASE="$dest"
  NEW_VERSION="$version"
}

switch_current() {
  local link="$APP_DIR/current"
  if [[ -L "$link" ]]; then ln -sfn "$(readlink "$link")" "$APP_DIR/previous"; fi
  # Relative links, so the tree is the same under --root and after being moved.
  ln -sfn "releases/$(basename "$NEW_RELEASE")" "$link.new"
  mv -T "$link.new" "$link"
  # Keep the current and the previous release; remove older ones.
  local keep_cur keep_prev d
  keep_cur="$(readlink -f "$link")"
  keep_prev="$(readlink -f "$APP_DIR/previous" 2>/dev/null || true)"
  for d in "$APP_DIR"/releases/*/; do
    d="${d%/}"
    [[ "$d" == "$keep_cur" || "$d" == "$keep_prev" ]] && continue
    rm -rf "$d"
  done
}

# ---------------------------------------------------------------------------------------------
# User, configuration, data
ensure_user() {
  if [[ -n "$ROOT" ]]; then
    SERVICE_USER="$(id -un)"
    return
  fi
  SERVICE_USER=proxicloud
  if ! id proxicloud >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$DATA_DIR_REAL" --no-create-home \
      --shell /usr/sbin/nologin --comment "ProxiCloud" proxicloud
    log "created system user proxicloud"
  fi
}

# set_kv FILE KEY VALUE: replace or append KEY=VALUE (value single-quoted for systemd and sh).
set_kv() {
  local file="$1" key="$2" value="$3" line tmp
  [[ "$value" == *"'"* || "$value" == *$'\n'* ]] && die "$key: quotes and newlines are not supported in values"
  line="$key='$value'"
  tmp="$(mktemp "$file.XXXXXX")"
  grep -v -E "^#?${key}=" "$file" >"$tmp" || true
  printf '%s\n' "$line" >>"$tmp"
  chmod --reference="$file" "$tmp"
  mv "$tmp" "$file"
}

write_config() {
  local env="$ETC_DIR/config.env" first=0
  mkdir -p "$ETC_DIR"
  chmod 0750 "$ETC_DIR"
  if [[ ! -f "$env" ]]; then
    first=1
    umask 027
    cat >"$env" <<EOF
# ProxiCloud configuration (environment variables; docs/configuration.md lists them all).
# Written by deploy/install.sh; edit and run: systemctl restart proxicloud
PROXICLOUD_DATA_DIR='$DATA_DIR_REAL'
PROXICLOUD_PORT='8080'
PROXICLOUD_HOST='0.0.0.0'
PROXICLOUD_S3_PORT='9000'
PROXICLOUD_LOG_LEVEL='info'
EOF
    umask 022
  fi
  # The secrets vault's master key (docs/secrets.md) lives apart from the data (so data backups do
  # not carry it) in a directory the service may write (key rotation), ReadWritePaths in the unit.
  if ! grep -q '^PROXICLOUD_SECRETS_MASTER_KEY_FILE=' "$env"; then
    set_kv "$env" PROXICLOUD_SECRETS_MASTER_KEY_FILE "/etc/proxicloud/secrets/master.key"
  fi
  [[ -n "$PORT" ]] && set_kv "$env" PROXICLOUD_PORT "$PORT"
  [[ -n "$HOST" ]] && set_kv "$env" PROXICLOUD_HOST "$HOST"
  [[ -n "$S3_PORT" ]] && set_kv "$env" PROXICLOUD_S3_PORT "$S3_PORT"
  [[ -n "$DATABASE_URL_OPT" ]] && set_kv "$env" DATABASE_URL "$DATABASE_URL_OPT"
  [[ -n "$PROXMOX_URL_OPT" ]] && set_kv "$env" PROXMOX_URL "$PROXMOX_URL_OPT"
  [[ -n "$PROXMOX_TOKEN_OPT" ]] && set_kv "$env" PROXMOX_TOKEN "$PROXMOX_TOKEN_OPT"
  [[ -n "$PROXMOX_FINGERPRINT_OPT" ]] && set_kv "$env" PROXMOX_FINGERPRINT "$PROXMOX_FINGERPRINT_OPT"
  [[ -n "$TRUST_PROXY" ]] && set_kv "$env" PROXICLOUD_TRUST_PROXY "$TRUST_PROXY"
  if [[ -n "$TLS_CERT" || -n "$TLS_KEY" ]]; then
    [[ -f "$TLS_CERT" && -f "$TLS_KEY" ]] || die "--tls-cert and --tls-key must both name existing files"
    mkdir -p "$ETC_DIR/tls"
    install -m 0644 "$TLS_CERT" "$ETC_DIR/tls/cert.pem"
    install -m 0640 "$TLS_KEY" "$ETC_DIR/tls/key.pem"
    set_kv "$env" PROXICLOUD_TLS_CERT "/etc/proxicloud/tls/cert.pem"
    set_kv "$env" PROXICLOUD_TLS_KEY "/etc/proxicloud/tls/key.pem"
    sed -i '/^PROXICLOUD_TLS=/d' "$env"
  elif [[ "$TLS_MODE" == "self-signed" ]]; then
    set_kv "$env" PROXICLOUD_TLS "self-signed"
  elif [[ "$TLS_MODE" == "off" ]]; then
    sed -i '/^PROXICLOUD_TLS=/d;/^PROXICLOUD_TLS_CERT=/d;/^PROXICLOUD_TLS_KEY=/d' "$env"
  elif [[ -n "$TLS_MODE" ]]; then
    die "--tls must be self-signed or off"
  fi
  # First admin password: only for the very first start, in a root-only file the unit reads;
  # removed as soon as the server has created the admin (it is printed once, below).
  if [[ $first -eq 1 ]]; then
    [[ -n "$ADMIN_PASSWORD" ]] || ADMIN_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')"
    umask 077
    printf "PROXICLOUD_ADMIN_PASSWORD='%s'\n" "$ADMIN_PASSWORD" >"$ETC_DIR/first-run.env"
    umask 022
    PRINT_PASSWORD=1
  fi
  if [[ -z "$ROOT" ]]; then
    chown root:proxicloud "$ETC_DIR" "$env"
    chmod 0640 "$env"
  fi
}

ensure_data_dir() {
  mkdir -p "$DATA_DIR" "$ETC_DIR/secrets"
  chmod 0750 "$DATA_DIR"
  chmod 0700 "$ETC_DIR/secrets"
  if [[ -z "$ROOT" ]]; then chown proxicloud:proxicloud "$DATA_DIR" "$ETC_DIR/secrets"; fi
}

# Run the installed CLI as the service user with the service's environment.
run_cli() {
  local release="$1"; shift
  local cmd=("$NODE_BIN" "$release/apps/cli/bin/proxicloud.mjs" "$@")
  (
    set -a
    # shellcheck disable=SC1091
    . "$ETC_DIR/config.env"
    set +a
    export PROXICLOUD_DATA_DIR="$ROOT$PROXICLOUD_DATA_DIR"
    if [[ -z "$ROOT" ]]; then
      exec runuser -u "$SERVICE_USER" -- env "PROXICLOUD_DATA_DIR=$PROXICLOUD_DATA_DIR" "${cmd[@]}"
    else
      exec "${cmd[@]}"
    fi
  )
}

install_unit() {
  local unit_src
  unit_src="$NEW_RELEASE/deploy/systemd/proxicloud.service"
  [[ -f "$unit_src" ]] || unit_src="$SCRIPT_DIR/systemd/proxicloud.service"
  mkdir -p "$(dirname "$UNIT_FILE")" "$(dirname "$CLI_LINK")"
  install -m 0644 "$unit_src" "$UNIT_FILE"
  cat >"$APP_DIR/bin/proxicloud" <<'EOF'
#!/bin/sh
# ProxiCloud CLI. `proxicloud admin …` and `proxicloud migrate` act on this host's server, so they
# run with its configuration (readable by root and the proxicloud group).
here="$(dirname "$(readlink -f "$0")")"
case "$1" in
  admin|migrate)
    if [ -r /etc/proxicloud/config.env ]; then set -a; . /etc/proxicloud/config.env; set +a; fi ;;
esac
exec "$here/node" "$here/../current/apps/cli/bin/proxicloud.mjs" "$@"
EOF
  chmod 0755 "$APP_DIR/bin/proxicloud"
  ln -sfn /opt/proxicloud/bin/proxicloud "$CLI_LINK"
  if [[ $SYSTEMD -eq 1 ]]; then
    systemctl daemon-reload
    systemctl enable proxicloud.service >/dev/null 2>&1
  fi
}

service_url() {
  local env="$ETC_DIR/config.env" port scheme=http ip
  port="$(sed -n "s/^PROXICLOUD_PORT='\{0,1\}\([0-9]*\)'\{0,1\}$/\1/p" "$env" | tail -n1)"
  if grep -q -E '^PROXICLOUD_TLS(_CERT)?=' "$env"; then scheme=https; fi
  ip="$(hostname -I 2>/dev/null | awk '{print $1}')"
  echo "$scheme://${ip:-localhost}:${port:-8080}"
}

wait_ready() {
  local url="$1" i
  for i in $(seq 1 90); do
    if curl -fsk "$url/readyz" >/dev/null 2>&1; then return 0; fi
    if ! systemctl is-active --quiet proxicloud.service && (( i > 5 )); then break; fi
    sleep 1
  done
  journalctl -u proxicloud.service -n 30 --no-pager >&2 || true
  die "proxicloud.service did not become ready; see journalctl -u proxicloud"
}

# ---------------------------------------------------------------------------------------------
uninstall() {
  log "removing ProxiCloud"
  if [[ $SYSTEMD -eq 1 ]]; then
    systemctl disable --now proxicloud.service >/dev/null 2>&1 || true
  fi
  rm -f "$UNIT_FILE" "$CLI_LINK"
  [[ $SYSTEMD -eq 1 ]] && systemctl daemon-reload
  rm -rf "$APP_DIR"
  if [[ $PURGE -eq 1 ]]; then
    rm -rf "$ETC_DIR" "$DATA_DIR"
    if [[ -z "$ROOT" ]] && id proxicloud >/dev/null 2>&1; then userdel proxicloud || true; fi
    log "removed the program, configuration, data and the proxicloud user"
  else
    log "removed the program; kept $ETC_DIR and $DATA_DIR (--purge removes them)"
  fi
}

main() {
  if [[ $UNINSTALL -eq 1 ]]; then uninstall; return; fi
  [[ $PURGE -eq 1 ]] && die "--purge only goes with --uninstall"
  detect_os
  if [[ -z "$ROOT" ]]; then
    for tool in curl tar sha256sum; do
      command -v "$tool" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates tar coreutils >&2
    done
  fi
  mkdir -p "$APP_DIR"
  ensure_node
  if [[ -z "$TARBALL" && -z "$FROM_SOURCE" ]]; then
    TARBALL="$(find "$SCRIPT_DIR" "$SCRIPT_DIR/.." -maxdepth 1 -name 'proxicloud-*.tar.gz' 2>/dev/null | sort | tail -n1)"
    if [[ -z "$TARBALL" ]]; then
      if [[ -f "$SCRIPT_DIR/../apps/server/dist/main.mjs" && -f "$SCRIPT_DIR/../RELEASE.json" ]]; then
        die "run install.sh from the extracted release's parent: pass --tarball FILE"
      fi
      FROM_SOURCE=auto
    fi
  fi
  [[ -n "$FROM_SOURCE" ]] && build_from_source "$FROM_SOURCE"
  ensure_user
  PRINT_PASSWORD=0
  write_config
  ensure_data_dir
  install_release
  local upgrading=0
  [[ -L "$APP_DIR/current" ]] && upgrading=1
  if [[ $upgrading -eq 1 && $SYSTEMD -eq 1 ]] && systemctl is-active --quiet proxicloud.service; then
    log "stopping proxicloud.service for the upgrade"
    systemctl stop proxicloud.service
  fi
  if [[ $upgrading -eq 1 ]]; then
    local backup
    backup="$DATA_DIR/backups/pre-upgrade-$(date -u +%Y%m%dT%H%M%SZ).tar.gz"
    mkdir -p "$DATA_DIR/backups"
    [[ -z "$ROOT" ]] && chown proxicloud:proxicloud "$DATA_DIR/backups"
    if run_cli "$(readlink -f "$APP_DIR/current")" admin backup --to "$backup" >&2; then
      log "backup before the upgrade: ${backup#"$ROOT"}"
    else
      log "warning: the pre-upgrade backup failed (older release without 'admin backup'?); continuing"
    fi
  fi
  log "running database migrations"
  run_cli "$NEW_RELEASE" migrate >&2 || die "migrations failed; the running release was not changed"
  switch_current
  install_unit
  if [[ -z "$ROOT" ]]; then chown -R root:root "$APP_DIR"; fi
  local url
  url="$(service_url)"
  if [[ $START -eq 1 && $SYSTEMD -eq 1 ]]; then
    systemctl restart proxicloud.service
    local scheme="${url%%://*}" port="${url##*:}"
    wait_ready "$scheme://127.0.0.1:$port"
  fi
  log "ProxiCloud $NEW_VERSION installed in /opt/proxicloud/current"
  if [[ $START -eq 1 && $SYSTEMD -eq 1 ]]; then
    rm -f "$ETC_DIR/first-run.env"
  fi
  printf '\n  Console:  %s\n' "$url"
  if [[ $PRINT_PASSWORD -eq 1 ]]; then
    printf '  Login:    admin\n  Password: %s   (shown once: change it after logging in)\n' "$ADMIN_PASSWORD"
  fi
  printf '  Config:   /etc/proxicloud/config.env   Data: %s\n  Logs:     journalctl -u proxicloud -f\n\n' "$DATA_DIR_REAL"
}

main
