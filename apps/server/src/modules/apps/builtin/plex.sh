#!/bin/bash
# Plex Media Server for ProxiCloud (written for this project). Phases: install | configure | update.
set -euo pipefail
# shellcheck source=/dev/null
source /root/.proxicloud/app/lib.sh

install_app() {
  pc_apt ca-certificates
  pc_fetch plex_deb /root/.proxicloud/app/plex.deb
  if [ "$(dpkg-query -W -f='${Version}' plexmediaserver 2>/dev/null || true)" != "${APP_VERSION}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q /root/.proxicloud/app/plex.deb
  fi
}

configure_app() {
  install -d -o plex -g plex /srv/media
  if [ -n "${PC_PARAM_CLAIMTOKEN:-}" ]; then
    install -d /etc/systemd/system/plexmediaserver.service.d
    printf '[Service]\nEnvironment=PLEX_CLAIM=%s\n' "${PC_PARAM_CLAIMTOKEN}" \
      >/etc/systemd/system/plexmediaserver.service.d/claim.conf
    chmod 0600 /etc/systemd/system/plexmediaserver.service.d/claim.conf
    systemctl daemon-reload
  fi
  systemctl enable --now plexmediaserver
  pc_log "Plex ${APP_VERSION} configured"
}

case "${1:-install}" in
  install) install_app ;;
  configure) configure_app ;;
  update) install_app && configure_app ;;
  *) echo "unknown phase: $1" >&2; exit 2 ;;
esac
