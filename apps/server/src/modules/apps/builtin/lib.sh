#!/bin/bash
# ProxiCloud app setup library: sourced by every app's setup script inside the container.
# pc_fetch verifies every download against the SHA-256 pinned in the template (app.env).
set -euo pipefail

PC_DIR=/root/.proxicloud/app

pc_log() {
  printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*"
}

# pc_fetch NAME DEST: download the pinned artefact NAME (PC_DL_<NAME>_URL, _SHA256) to DEST.
pc_fetch() {
  local name="$1" dest="$2" upper url sum
  upper="$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]')"
  url="$(printenv "PC_DL_${upper}_URL" || true)"
  sum="$(printenv "PC_DL_${upper}_SHA256" || true)"
  if [ -z "$url" ] || [ -z "$sum" ]; then
    echo "download ${name} is not pinned (URL and SHA-256 required)" >&2
    return 3
  fi
  if [ -f "$dest" ] && echo "${sum}  ${dest}" | sha256sum -c --status; then
    pc_log "already have ${name}"
    return 0
  fi
  pc_log "fetching ${name}"
  curl -fsSL --retry 3 -o "${dest}.part" "$url"
  echo "${sum}  ${dest}.part" | sha256sum -c --status || {
    echo "checksum mismatch for ${name} (${url})" >&2
    rm -f "${dest}.part"
    return 4
  }
  mv "${dest}.part" "$dest"
}

# pc_apt PKG...: install Debian packages (idempotent; apt verifies the signed archive).
pc_apt() {
  export DEBIAN_FRONTEND=noninteractive
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "${p%%=*}" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  pc_log "apt install ${missing[*]}"
  if [ ! -f "${PC_DIR}/.apt-updated" ]; then
    apt-get update -q
    touch "${PC_DIR}/.apt-updated"
  fi
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# pc_unit NAME CONTENT: write a systemd unit when it changed and (re)start it.
pc_unit() {
  local name="$1" content="$2" file="/etc/systemd/system/$1.service"
  if [ ! -f "$file" ] || [ "$(cat "$file")" != "$content" ]; then
    printf '%s\n' "$content" >"$file"
    systemctl daemon-reload
  fi
  systemctl enable --now "$name"
  systemctl restart "$name"
}

set -a
# shellcheck source=/dev/null
source "${PC_DIR}/app.env"
set +a
