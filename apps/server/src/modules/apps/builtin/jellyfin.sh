#!/bin/bash
# Jellyfin for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt ca-certificates gnupg
  pc_fetch repo_key /root/.proxicloud/app/jellyfin.key
  gpg --dearmor --yes -o /usr/share/keyrings/jellyfin.gpg /root/.proxicloud/app/jellyfin.key
  echo "deb [signed-by=/usr/share/keyrings/jellyfin.gpg] https://repo.jellyfin.org/debian bookworm main" \
    >/etc/apt/sources.list.d/jellyfin.list
  rm -f /root/.proxicloud/app/.apt-updated
  pc_apt "jellyfin-server=${APP_VERSION}+deb12-1" "jellyfin-web=${APP_VERSION}+deb12-1" jellyfin-ffmpeg7
}

configure_app() {
  install -d -o jellyfin -g jellyfin /srv/media
  systemctl enable --now jellyfin
  pc_log "Jellyfin ${APP_VERSION} (${JELLYFIN_SERVER_NAME}) configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
